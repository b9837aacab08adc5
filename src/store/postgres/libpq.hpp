#pragma once
// libpq, loaded when a PostgreSQL store is opened (dlopen of libpq.so.5), not linked: libpq and
// what it needs (Kerberos, LDAP, their TLS) would otherwise be mapped by every server, SQLite ones
// too, for ~5.7 MB more idle RSS (issue #2: 12 MB). Only its types come from the header.
#include <libpq-fe.h>

namespace gh::store::pg {

struct LibPq {
#define GH_PQ_FUNCTIONS(X)                                                                        \
  X(PQclear) X(PQcmdTuples) X(PQconnectdbParams) X(PQerrorMessage) X(PQexec) X(PQexecPrepared)    \
  X(PQfinish) X(PQgetResult) X(PQgetisnull) X(PQgetlength) X(PQgetvalue) X(PQntuples) X(PQprepare) \
  X(PQreset) X(PQresultErrorField) X(PQresultStatus) X(PQsendQueryPrepared) X(PQsetNoticeProcessor) \
  X(PQsetSingleRowMode) X(PQstatus)                                                                \
  /* the change feed's LISTEN connection (change_listener.cpp) */                                 \
  X(PQsocket) X(PQconsumeInput) X(PQnotifies) X(PQfreemem)
#define GH_PQ_MEMBER(name) decltype(&::name) name = nullptr;
  GH_PQ_FUNCTIONS(GH_PQ_MEMBER)
#undef GH_PQ_MEMBER
};

// The loaded library (loaded on the first call, thread-safe); throws std::runtime_error naming
// the Debian package when libpq cannot be loaded.
const LibPq& pq();

}  // namespace gh::store::pg
