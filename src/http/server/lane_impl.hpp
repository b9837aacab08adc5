#pragma once
// Lane's Asio side, for lane.cpp and server.cpp only.
#include <boost/asio/thread_pool.hpp>

#include "http/server/lane.hpp"

namespace gh::http {

struct Lane::Impl {
  explicit Impl(unsigned threads) : pool(threads) {}
  boost::asio::thread_pool pool;
};

}  // namespace gh::http
