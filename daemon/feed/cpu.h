#pragma once

// Internal to the feed module: which SIMD width the byte loops may use on this CPU.

namespace ww::feed {

#if defined(__x86_64__) && defined(__GNUC__)
// AVX2 (with POPCNT, which every AVX2 CPU has), checked once. The loops compiled for it carry
// __attribute__((target("avx2"))) and are called only when this is true.
inline bool has_avx2() {
    static const bool yes =
        (__builtin_cpu_init(), __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt"));
    return yes;
}
#endif

}  // namespace ww::feed
