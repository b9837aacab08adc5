#include "store/postgres/change_listener.hpp"

#include <poll.h>

#include <algorithm>

#include "store/postgres/conn.hpp"
#include "store/postgres/libpq.hpp"

namespace gh::store {
namespace {
using pg::pq;
constexpr std::size_t kMaxId = 64;

bool is_id(std::string_view s) {
  return !s.empty() && s.size() <= kMaxId && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

PGconn* as_conn(void* p) { return static_cast<PGconn*>(p); }

std::string one_line(std::string msg) {
  for (auto& ch : msg)
    if (ch == '\n' || ch == '\t') ch = ' ';
  while (!msg.empty() && msg.back() == ' ') msg.pop_back();
  return msg;
}
}  // namespace

std::string change_payload(std::string_view org_id, std::string_view node_id) {
  std::string out;
  out.reserve(org_id.size() + node_id.size() + 1);
  return out.append(org_id).append(" ").append(node_id);
}

std::optional<ChangeNotice> parse_change_payload(std::string_view payload) {
  auto sp = payload.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  auto org = payload.substr(0, sp), node = payload.substr(sp + 1);
  if (!is_id(org) || !is_id(node)) return std::nullopt;
  return ChangeNotice{std::string(org), std::string(node)};
}

ChangeListener::ChangeListener(std::string url) : url_(std::move(url)) {}

ChangeListener::~ChangeListener() { close(); }

void ChangeListener::close() {
  if (conn_) pq().PQfinish(as_conn(conn_));
  conn_ = nullptr;
}

bool ChangeListener::connected() const { return conn_ && pq().PQstatus(as_conn(conn_)) == CONNECTION_OK; }

bool ChangeListener::lost(const char* what) {
  error_ = std::string(what) + ": " + (conn_ ? one_line(pq().PQerrorMessage(as_conn(conn_))) : "no connection");
  close();
  return false;
}

bool ChangeListener::connect() {
  close();
  // Later keywords win, so the URL's own settings override these. TCP keepalives find a peer
  // that vanished without closing (a dead host) while the connection is idle, and
  // tcp_user_timeout bounds a ping whose answer never comes (milliseconds; TCP only).
  const char* keys[] = {"connect_timeout", "application_name", "keepalives_idle", "keepalives_interval",
                        "keepalives_count", "tcp_user_timeout", "dbname", nullptr};
  const char* vals[] = {"2", "gatehouse-listen", "5", "2", "2", "5000", url_.c_str(), nullptr};
  conn_ = pq().PQconnectdbParams(keys, vals, 1);
  if (!conn_ || pq().PQstatus(as_conn(conn_)) != CONNECTION_OK) return lost("connect");
  pq().PQsetNoticeProcessor(as_conn(conn_), [](void*, const char*) {}, nullptr);
  pg::ResultPtr r(pq().PQexec(as_conn(conn_), (std::string("LISTEN ") + kChangeChannel).c_str()));
  if (!r || pq().PQresultStatus(r.get()) != PGRES_COMMAND_OK) return lost("listen");
  return true;
}

void ChangeListener::take_queued(std::vector<ChangeNotice>& out) {
  while (PGnotify* n = pq().PQnotifies(as_conn(conn_))) {
    if (n->relname && std::string_view(n->relname) == kChangeChannel && n->extra)
      if (auto notice = parse_change_payload(n->extra)) out.push_back(std::move(*notice));
    pq().PQfreemem(n);
  }
}

bool ChangeListener::drain(std::vector<ChangeNotice>& out) {
  if (!pq().PQconsumeInput(as_conn(conn_))) return lost("read");
  take_queued(out);
  if (pq().PQstatus(as_conn(conn_)) != CONNECTION_OK) return lost("read");
  return true;
}

bool ChangeListener::wait(std::chrono::milliseconds timeout, std::vector<ChangeNotice>& out, int wake_fd) {
  if (!connected()) return lost("wait");
  // Notifications that came in with a ping's answer are already read from the socket.
  auto before = out.size();
  take_queued(out);
  if (out.size() != before) return true;
  pollfd fds[2] = {{pq().PQsocket(as_conn(conn_)), POLLIN, 0}, {wake_fd, POLLIN, 0}};
  int n = ::poll(fds, wake_fd >= 0 ? 2 : 1, static_cast<int>(timeout.count()));
  if (n < 0) return true;  // EINTR: the caller waits again
  if (fds[0].revents & (POLLIN | POLLERR | POLLHUP)) return drain(out);
  return true;
}

bool ChangeListener::ping() {
  if (!connected()) return lost("ping");
  pg::ResultPtr r(pq().PQexec(as_conn(conn_), "SELECT 1"));
  if (!r || pq().PQresultStatus(r.get()) != PGRES_TUPLES_OK) return lost("ping");
  // Notifications that arrived with the answer are queued by libpq: the next wait takes them.
  return true;
}

}  // namespace gh::store
