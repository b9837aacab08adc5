#pragma once
#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>

#include <type_traits>

namespace gh::store {

// unavailable: the store cannot be reached now (PostgreSQL down or the connection lost); the
// API answers 503 and the request may be retried.
enum class Errc { ok = 0, conflict = 1, not_found, io_failed, corrupt, unavailable };
const boost::system::error_category& store_category() noexcept;
inline boost::system::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), store_category()};
}

}  // namespace gh::store

template <>
struct boost::system::is_error_code_enum<gh::store::Errc> : std::true_type {};
