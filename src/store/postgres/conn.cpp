#include "store/postgres/conn.hpp"

#include <charconv>
#include <stdexcept>
#include <utility>

namespace gh::store::pg {

Params& Params::text(std::string_view v) {
  values_.emplace_back(v);
  lengths_.push_back(0), formats_.push_back(0);
  return *this;
}
Params& Params::i64(std::int64_t v) { return text(std::to_string(v)); }
Params& Params::bytes(const void* p, std::size_t n) {
  values_.emplace_back(static_cast<const char*>(p), n);
  lengths_.push_back(static_cast<int>(n)), formats_.push_back(1);
  return *this;
}
std::vector<const char*> Params::values() const {
  std::vector<const char*> v;
  v.reserve(values_.size());
  for (auto& s : values_) v.push_back(s.c_str());
  return v;
}

std::int64_t Row::i64(int c) const {
  auto t = text(c);
  std::int64_t v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

bool Row::bytes(int c, std::string& out) const {
  auto t = text(c);
  out.clear();
  if (t.size() < 2 || t[0] != '\\' || t[1] != 'x' || t.size() % 2) return false;
  auto hex = [](char ch) -> int {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 2; i < t.size(); i += 2) {
    int hi = hex(t[i]), lo = hex(t[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

namespace {
PGconn* connect(const std::string& url) {
  // Keyword order matters: later values win, so a connect_timeout in the URL overrides ours.
  const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* vals[] = {"5", "gatehouse", url.c_str(), nullptr};
  return pq().PQconnectdbParams(keys, vals, 1);
}
}  // namespace

Conn::Conn(std::string url) : url_(std::move(url)) {
  conn_ = connect(url_);
  if (!conn_ || pq().PQstatus(conn_) != CONNECTION_OK) {
    std::string msg = conn_ ? pq().PQerrorMessage(conn_) : "out of memory";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    pq().PQfinish(conn_);
    conn_ = nullptr;
    for (auto& ch : msg)
      if (ch == '\n' || ch == '\t') ch = ' ';
    throw std::runtime_error("cannot connect to PostgreSQL at " + redact(url_) + ": " + scrub(msg));
  }
  // Notices ("relation … already exists, skipping") are not errors: not printed.
  pq().PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  session_setup();
}

void Conn::session_setup() {
  // Row::bytes reads bytea in hex, whatever the server's default output.
  exec("SET bytea_output = hex");
}

Conn::~Conn() { pq().PQfinish(conn_); }

bool Conn::ensure() {
  if (pq().PQstatus(conn_) == CONNECTION_OK) return true;
  pq().PQreset(conn_);  // blocking, bounded by connect_timeout
  names_.clear();  // prepared statements live and die with the server session
  if (pq().PQstatus(conn_) == CONNECTION_OK) return session_setup(), true;
  last_error_ = pq().PQerrorMessage(conn_);
  return false;
}

Errc Conn::classify(const PGresult* r) const {
  if (!r || pq().PQstatus(conn_) != CONNECTION_OK) return Errc::unavailable;
  const char* state = pq().PQresultErrorField(r, PG_DIAG_SQLSTATE);
  std::string_view s = state ? state : "";
  if (s == "23505") return Errc::conflict;  // unique_violation
  // connection exceptions (08), operator intervention (57P0x shutdown/crash), too many
  // connections (53300), read-only standby (25006): the request may succeed later.
  if (s.starts_with("08") || s.starts_with("57P") || s == "53300" || s == "25006") return Errc::unavailable;
  return Errc::io_failed;
}

void Conn::failed(const PGresult* r) {
  last_error_ = pq().PQerrorMessage(conn_);
  const char* state = r ? pq().PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  last_state_ = state ? state : "";
}

const char* Conn::prepared(const char* sql, Errc& err) {
  auto it = names_.find(sql);
  if (it != names_.end()) return it->second.c_str();
  std::string name = "gh" + std::to_string(names_.size());
  ResultPtr r(pq().PQprepare(conn_, name.c_str(), sql, 0, nullptr));
  if (!r || pq().PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
    failed(r.get());
    err = classify(r.get());
    return nullptr;
  }
  return names_.emplace(sql, std::move(name)).first->second.c_str();
}

Errc Conn::run(const char* sql, const Params& p, ResultPtr* out) {
  Errc err = Errc::ok;
  const char* name = prepared(sql, err);
  if (!name) return err;
  auto values = p.values();
  ResultPtr r(pq().PQexecPrepared(conn_, name, p.size(), values.data(), p.lengths(), p.formats(), 0));
  auto st = r ? pq().PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    failed(r.get());
    return classify(r.get());
  }
  if (out) *out = std::move(r);
  return Errc::ok;
}

Errc Conn::send(const char* sql, const Params& p) {
  Errc err = Errc::ok;
  const char* name = prepared(sql, err);
  if (!name) return err;
  auto values = p.values();
  if (!pq().PQsendQueryPrepared(conn_, name, p.size(), values.data(), p.lengths(), p.formats(), 0) ||
      !pq().PQsetSingleRowMode(conn_)) {
    last_error_ = pq().PQerrorMessage(conn_);
    while (PGresult* r = pq().PQgetResult(conn_)) pq().PQclear(r);
    return pq().PQstatus(conn_) == CONNECTION_OK ? Errc::io_failed : Errc::unavailable;
  }
  return Errc::ok;
}

Errc Conn::exec(const char* sql) {
  ResultPtr r(pq().PQexec(conn_, sql));
  auto st = r ? pq().PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Errc::ok;
  failed(r.get());
  return classify(r.get());
}

std::int64_t Conn::changed(const ResultPtr& r) {
  const char* n = r ? pq().PQcmdTuples(r.get()) : "";
  std::int64_t v = 0;
  std::from_chars(n, n + std::char_traits<char>::length(n), v);
  return v;
}

std::string Conn::error() const {
  std::string msg = scrub(last_error_);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  for (auto& ch : msg)
    if (ch == '\n' || ch == '\t' || ch == '"') ch = ' ';
  return msg;
}

namespace {
// Where the URL's password is: [begin, end) of the user-info password, or npos.
std::pair<std::size_t, std::size_t> password_span(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return {std::string::npos, 0};
  auto start = scheme + 3;
  auto end = url.find_first_of("/?", start);
  auto authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  auto at = authority.rfind('@');
  if (at == std::string::npos) return {std::string::npos, 0};
  auto colon = authority.find(':');
  if (colon == std::string::npos || colon > at) return {std::string::npos, 0};
  return {start + colon + 1, start + at};
}
}  // namespace

std::string Conn::redact(const std::string& url) {
  // postgresql://user:password@host/db → postgresql://user:***@host/db; a password=… query
  // parameter likewise.
  std::string out = url;
  if (auto [b, e] = password_span(out); b != std::string::npos) out.replace(b, e - b, "***");
  for (auto pos = out.find("password="); pos != std::string::npos; pos = out.find("password=", pos + 1)) {
    auto end = out.find('&', pos);
    out.replace(pos + 9, (end == std::string::npos ? out.size() : end) - pos - 9, "***");
  }
  return out;
}

std::string Conn::scrub(std::string msg) const {
  // libpq's messages do not quote passwords, but one about a malformed URL may quote part of
  // it: every occurrence of the password is masked anyway.
  std::vector<std::string> secrets;
  if (auto [b, e] = password_span(url_); b != std::string::npos && e > b) secrets.push_back(url_.substr(b, e - b));
  for (auto pos = url_.find("password="); pos != std::string::npos; pos = url_.find("password=", pos + 1)) {
    auto end = url_.find('&', pos);
    auto v = url_.substr(pos + 9, (end == std::string::npos ? url_.size() : end) - pos - 9);
    if (!v.empty()) secrets.push_back(v);
  }
  for (auto& s : secrets)
    for (auto p = msg.find(s); p != std::string::npos; p = msg.find(s, p + 3)) msg.replace(p, s.size(), "***");
  return msg;
}

}  // namespace gh::store::pg
