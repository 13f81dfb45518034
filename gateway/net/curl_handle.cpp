#include "gateway/net/curl_handle.h"

#include <utility>

namespace postdesk::net {

namespace {

// curl_global_init is not guaranteed thread-safe on every build; a function-local static runs
// it exactly once, before any handle exists (libcurl docs, "curl_global_init").
void globalInitOnce() {
    static const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    (void)rc;  // a failure shows up as curl_easy_init returning nullptr
}

}  // namespace

CurlHandle::CurlHandle() {
    globalInitOnce();
    handle_ = curl_easy_init();
}

CurlHandle::~CurlHandle() { reset(); }

CurlHandle::CurlHandle(CurlHandle&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}

CurlHandle& CurlHandle::operator=(CurlHandle&& other) noexcept {
    if (this != &other) {
        reset();
        handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
}

void CurlHandle::reset() {
    if (handle_) curl_easy_cleanup(std::exchange(handle_, nullptr));
}

}  // namespace postdesk::net
