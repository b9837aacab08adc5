#pragma once
// gh::Result<T>: expected failures as values (STYLE.md §3, error handling).
#include <boost/system/result.hpp>
#include <boost/system/error_code.hpp>

namespace gh {

using boost::system::error_code;
template <class T, class E = error_code>
using Result = boost::system::result<T, E>;

}  // namespace gh
