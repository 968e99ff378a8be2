#pragma once

#include <cstdint>
#include <random>

namespace ww::schedule {

// The source of Input::jitter. The policy stays pure by taking the drawn value; the app owns
// one Jitter (seeded from random_device), tests pass fixed values instead.
class Jitter {
public:
    explicit Jitter(std::uint64_t seed);
    double next();  // uniform in [-1, 1]

private:
    std::mt19937_64 engine_;
    std::uniform_real_distribution<double> unit_{-1.0, 1.0};
};

}  // namespace ww::schedule
