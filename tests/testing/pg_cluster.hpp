#pragma once
// PostgreSQL for the store tests (issue 18): a fresh database per test in the throwaway cluster
// at $GATEHOUSE_PG_URL (scripts/test.sh starts one for the whole run), or else in one this
// process starts with scripts/pg-throwaway.sh and stops at exit.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <unistd.h>

#include "store/postgres/conn.hpp"

namespace gh::testing {

inline std::string pg_cluster_url() {
  static const std::string url = [] {
    if (const char* env = std::getenv("GATEHOUSE_PG_URL"); env && *env) return std::string(env);
    static std::string dir;
    std::string out;
    std::unique_ptr<FILE, int (*)(FILE*)> p(popen(GH_SOURCE_DIR "/scripts/pg-throwaway.sh start", "r"), pclose);
    if (!p) throw std::runtime_error("cannot run scripts/pg-throwaway.sh");
    char buf[512];
    while (std::fgets(buf, sizeof buf, p.get())) out += buf;
    std::string found;
    for (std::size_t at = 0; at < out.size();) {
      auto end = out.find('\n', at);
      auto line = out.substr(at, end == std::string::npos ? std::string::npos : end - at);
      if (line.starts_with("GATEHOUSE_PG_DIR=")) dir = line.substr(17);
      if (line.starts_with("GATEHOUSE_PG_URL=")) found = line.substr(17);
      at = end == std::string::npos ? out.size() : end + 1;
    }
    if (found.empty()) throw std::runtime_error("scripts/pg-throwaway.sh start failed: " + out);
    std::atexit([] {
      std::string cmd = GH_SOURCE_DIR "/scripts/pg-throwaway.sh stop '" + dir + "'";
      if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "cannot stop the cluster in %s\n", dir.c_str());
    });
    return found;
  }();
  return url;
}

// A new empty database, dropped on destruction.
class PgDatabase {
 public:
  PgDatabase() {
    static int n = 0;
    name_ = "gh_unit_" + std::to_string(getpid()) + "_" + std::to_string(++n);
    admin().exec(("CREATE DATABASE " + name_).c_str());
  }
  ~PgDatabase() { admin().exec(("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)").c_str()); }
  PgDatabase(const PgDatabase&) = delete;
  std::string url() const { return pg_cluster_url() + "/" + name_; }
  const std::string& name() const { return name_; }
  // A connection to the cluster's maintenance database, for setting up and breaking things.
  static store::pg::Conn& admin() {
    static store::pg::Conn c(pg_cluster_url() + "/postgres");
    return c;
  }

 private:
  std::string name_;
};

}  // namespace gh::testing
