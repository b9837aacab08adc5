#include "http/server/lane.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

#include "http/server/lane_impl.hpp"

namespace gh::http {

Lane::Lane(unsigned threads) : impl_(std::make_unique<Impl>(std::max(1u, threads))) {}
Lane::~Lane() { join(); }
void Lane::join() { impl_->pool.join(); }
void Lane::post(std::function<void()> job) { boost::asio::post(impl_->pool, std::move(job)); }

}  // namespace gh::http
