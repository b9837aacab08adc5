#pragma once
// The cross-node change feed's PostgreSQL side (issue 18, many nodes): every PgStore commit of an
// org's ChangeSet, and every org creation, sends NOTIFY on kChangeChannel in its own transaction
// (delivered only if it commits), with the payload "<org id> <node id>"; a ChangeListener holds a
// second connection that LISTENs on that channel. No libpq type in this header.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gh::store {

inline constexpr const char* kChangeChannel = "gatehouse_changes";

// One notification: `org_id` changed, committed by the node `node_id`.
struct ChangeNotice {
  std::string org_id;
  std::string node_id;
  bool operator==(const ChangeNotice&) const = default;
};

// "<org id> <node id>" (neither holds a space: ids are [A-Za-z0-9_-]).
std::string change_payload(std::string_view org_id, std::string_view node_id);
// The notice a payload names, or nullopt when it is not one (another program's NOTIFY on the
// channel, an empty or oversized id): never trusted beyond naming an org to reload.
std::optional<ChangeNotice> parse_change_payload(std::string_view payload);

// One connection LISTENing on kChangeChannel. Not thread-safe: one thread (the change feed's)
// owns it. Every call blocks at most about `connect_timeout` (connect) or `timeout` (wait).
class ChangeListener {
 public:
  explicit ChangeListener(std::string url);
  ChangeListener(const ChangeListener&) = delete;
  ~ChangeListener();

  // (Re)connects and LISTENs; false when PostgreSQL cannot be reached (error() says why).
  bool connect();
  bool connected() const;
  void close();
  // Waits up to `timeout` for notifications (or for `wake_fd`, when >= 0, to become readable)
  // and appends the ones received to `out`; false when the connection was lost.
  bool wait(std::chrono::milliseconds timeout, std::vector<ChangeNotice>& out, int wake_fd = -1);
  // A round trip on the connection ("SELECT 1"): false when it was lost.
  bool ping();
  // The last failure, for the log (libpq's message, never the password).
  const std::string& error() const { return error_; }

 private:
  bool drain(std::vector<ChangeNotice>& out);
  void take_queued(std::vector<ChangeNotice>& out);
  bool lost(const char* what);

  std::string url_;
  void* conn_ = nullptr;  // PGconn*
  std::string error_;
};

}  // namespace gh::store
