#pragma once
// Error codes of the low layers (core, crypto, store), each with its category.
#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>

#include <type_traits>

namespace gh::core {

enum class Errc {
  ok = 0,
  bad_base64 = 1,
  bad_format,
  bad_checksum,
  bad_time,
  io_failed,
};
const boost::system::error_category& core_category() noexcept;
inline boost::system::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), core_category()};
}

}  // namespace gh::core

template <>
struct boost::system::is_error_code_enum<gh::core::Errc> : std::true_type {};
