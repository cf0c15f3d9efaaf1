#ifndef CLIBCURL_SHIM_H
#define CLIBCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are C variadics, which Swift cannot
   call: one fixed-signature wrapper per argument type. */
static inline CURLcode ccurl_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_write_cb(CURL *h, CURLoption o, curl_write_callback v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }
static inline CURLMcode ccurl_multi_setopt_pointer(CURLM *m, CURLMoption o, void *v) { return curl_multi_setopt(m, o, v); }
static inline CURLMcode ccurl_multi_setopt_socket_cb(CURLM *m, CURLMoption o, curl_socket_callback v) { return curl_multi_setopt(m, o, v); }
static inline CURLMcode ccurl_multi_setopt_timer_cb(CURLM *m, CURLMoption o, curl_multi_timer_callback v) { return curl_multi_setopt(m, o, v); }

#ifdef __linux__
#include <poll.h>
#include <signal.h>
#include <time.h>
/* poll() with a nanosecond timeout (negative: wait forever), so a load generator can send at its due
   time instead of up to a millisecond late. ppoll is a GNU extension that Swift's Glibc module hides. */
extern int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout, const sigset_t *sigmask);
static inline int ccurl_poll_ns(struct pollfd *fds, nfds_t nfds, long long ns) {
    struct timespec timeout = { (time_t)(ns / 1000000000LL), (long)(ns % 1000000000LL) };
    return ppoll(fds, nfds, ns < 0 ? NULL : &timeout, NULL);
}
#endif

#endif
