// postdesk::mime::detail — which vector instructions the decoders may use.
//
// The vector paths (base64 decoding) are compiled with __attribute__((target(...))) and chosen at
// run time, so one binary runs on any x86-64 and uses AVX2 or AVX-512 VBMI where the CPU has
// them. The CPU is asked once per process; limitVectorLevel() lowers the level for the rest of the
// process, so that tests can run the narrower paths on a wide machine. Never fails: without the
// builtin's answer the level is Scalar.
#pragma once

namespace postdesk::mime::detail {

enum class VectorLevel { Scalar, Avx2, Avx512Vbmi };

namespace cpu_detail {
inline VectorLevel& level() {
    static VectorLevel l = [] {
        __builtin_cpu_init();  // may run before libgcc's own constructor has
        if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx2"))
            return VectorLevel::Avx512Vbmi;
        return __builtin_cpu_supports("avx2") ? VectorLevel::Avx2 : VectorLevel::Scalar;
    }();
    return l;
}
}  // namespace cpu_detail

inline VectorLevel vectorLevel() { return cpu_detail::level(); }
inline bool hasAvx2() { return vectorLevel() >= VectorLevel::Avx2; }
inline bool hasAvx512Vbmi() { return vectorLevel() == VectorLevel::Avx512Vbmi; }

// Never raises the level above what the CPU has. Not thread-safe: for tests, before decoding.
inline void limitVectorLevel(VectorLevel max) {
    if (max < cpu_detail::level()) cpu_detail::level() = max;
}
inline void restoreVectorLevel(VectorLevel previous) { cpu_detail::level() = previous; }

}  // namespace postdesk::mime::detail
