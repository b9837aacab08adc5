#include "store/postgres/libpq.hpp"

#include <dlfcn.h>

#include <stdexcept>
#include <string>

namespace gh::store::pg {

const LibPq& pq() {
  static const LibPq lib = [] {
    void* h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!h) throw std::runtime_error(std::string("the PostgreSQL store needs libpq (Debian: libpq5): ") + dlerror());
    LibPq l;
#define GH_PQ_LOAD(name)                                                                           \
  l.name = reinterpret_cast<decltype(l.name)>(dlsym(h, #name));                                    \
  if (!l.name) throw std::runtime_error("libpq.so.5 lacks " #name);
    GH_PQ_FUNCTIONS(GH_PQ_LOAD)
#undef GH_PQ_LOAD
    return l;  // the handle stays open for the life of the process
  }();
  return lib;
}

}  // namespace gh::store::pg
