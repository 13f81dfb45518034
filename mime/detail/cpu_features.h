// postdesk::mime::detail — what the CPU can do, asked once per process.
//
// The vector paths (base64 decoding, the boundary search) are compiled with
// __attribute__((target("avx2"))) and chosen at run time, so one binary runs on any x86-64 and
// uses AVX2 where it exists. Never fails: without the builtin's answer it says "no".
#pragma once

namespace postdesk::mime::detail {

inline bool hasAvx2() {
    static const bool has = [] {
        __builtin_cpu_init();  // may run before libgcc's own constructor has
        return __builtin_cpu_supports("avx2") != 0;
    }();
    return has;
}

}  // namespace postdesk::mime::detail
