// Proof that the sanitizer runs of scripts/sanitize.sh can fail: this program makes the defect
// its argument names, and the script checks that the options it gives the real runs (log_path,
// leak detection, halt on error) turn it into a report file. A setup that reported nothing here
// (leak detection unavailable, a wrong option) would let every real run pass unchecked.
#include <climits>
#include <cstdio>
#include <cstring>
#include <thread>

int main(int argc, char** argv) {
  const char* what = argc > 1 ? argv[1] : "";
  if (std::strcmp(what, "leak") == 0) {
    volatile char* lost = new char[64];  // never freed: LeakSanitizer at exit
    lost[0] = 1;
    lost = nullptr;
    return 0;
  }
  if (std::strcmp(what, "overflow") == 0) {  // AddressSanitizer
    char* p = new char[8];
    volatile int i = 8;
    p[i] = 1;
    delete[] p;
    return 0;
  }
  if (std::strcmp(what, "ub") == 0) {  // UndefinedBehaviorSanitizer: signed overflow
    volatile int big = INT_MAX;
    std::printf("%d\n", big + 1);
    return 0;
  }
  if (std::strcmp(what, "race") == 0) {  // ThreadSanitizer: two unsynchronised writers
    int shared = 0;
    std::thread a([&] { for (int i = 0; i < 1000; ++i) shared = shared + 1; });
    std::thread b([&] { for (int i = 0; i < 1000; ++i) shared = shared + 1; });
    a.join();
    b.join();
    std::printf("%d\n", shared);
    return 0;
  }
  std::fprintf(stderr, "usage: canary leak|overflow|ub|race\n");
  return 2;
}
