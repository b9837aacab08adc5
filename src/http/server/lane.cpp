#include "http/server/lane.hpp"

#include <algorithm>

#include "http/server/lane_impl.hpp"

namespace gh::http {

Lane::Lane(unsigned threads) : impl_(std::make_unique<Impl>(std::max(1u, threads))) {}
Lane::~Lane() { join(); }
void Lane::join() { impl_->pool.join(); }

}  // namespace gh::http
