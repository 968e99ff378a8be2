#include "schedule/jitter.h"

namespace ww::schedule {

Jitter::Jitter(std::uint64_t seed) : engine_(seed) {}

double Jitter::next() { return unit_(engine_); }

}  // namespace ww::schedule
