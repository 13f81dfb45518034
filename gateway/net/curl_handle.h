// postdesk::net — RAII owner of one libcurl easy handle.
//
// Guarantees curl_global_init ran (once per process, before the first handle) and that the
// handle is cleaned up exactly once. Not copyable; movable. A default-constructed handle whose
// curl_easy_init failed (out of memory) is empty: check `valid()`.
#pragma once

#include <curl/curl.h>

namespace postdesk::net {

class CurlHandle {
public:
    CurlHandle();
    ~CurlHandle();
    CurlHandle(const CurlHandle&) = delete;
    CurlHandle& operator=(const CurlHandle&) = delete;
    CurlHandle(CurlHandle&& other) noexcept;
    CurlHandle& operator=(CurlHandle&& other) noexcept;

    CURL* get() const { return handle_; }
    bool valid() const { return handle_ != nullptr; }
    void reset();  // cleans up now; the handle becomes empty

private:
    CURL* handle_ = nullptr;
};

}  // namespace postdesk::net
