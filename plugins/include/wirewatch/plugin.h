/* wirewatch sink plugin ABI, version 1: the only wirewatch header a plugin includes.
 *
 * A plugin is a shared module exporting exactly three functions (see the end of this file):
 *   ww_plugin_version   picks one of the ABI versions the host offers, or refuses;
 *   ww_plugin_init      creates one sink instance from its options and fills in `deliver`;
 *   ww_plugin_cleanup   destroys an instance.
 * One module may serve several sink instances (two Slack workspaces, say) at once.
 *
 * Rules that keep the boundary safe across compilers and releases:
 * - Only C types cross. Every struct the host or the plugin may grow starts with its size, so
 *   that either side can tell which fields the other one knows.
 * - Nothing throws across: a C++ plugin catches everything inside its exported functions.
 * - Strings are UTF-8, passed as (pointer, size) and never NUL-terminated unless stated. They
 *   are BORROWED: valid only during the call that hands them over. Results the host produces for
 *   the plugin (an HTTP response, a rendered message) are handed to a callback during the call,
 *   so no memory ever changes owner across the boundary.
 * - The host owns policy: queueing, retries, backoff, Retry-After, rate limits, cursors,
 *   counters, logging of outcomes. A plugin owns exactly one delivery attempt at a time.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WW_PLUGIN_ABI_VERSION 1

#if defined(__GNUC__)
#define WW_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define WW_PLUGIN_EXPORT
#endif

typedef struct ww_str {
    const char* data;
    size_t size;
} ww_str;

/* One `key = value` of the sink's table, as text. The host has already resolved `*_file` keys
 * (the file's content, read once at start-up, is passed under the key without `_file`) and an
 * Apprise-style `url` (its parts are passed as the plugin's own keys). */
typedef struct ww_option {
    ww_str key;
    ww_str value;
} ww_option;

/* One alert: the envelope (DESIGN.md section 4) and its decoded fields. Fields absent from the
 * envelope are empty strings. The decoded fields are made safe for chat by the host: feed text
 * without C1 controls or bidi overrides and with mass mentions (@channel, @room, <!here>...)
 * neutralised, `link` empty unless http(s) and percent-encoded where markup would break,
 * `feed_url` redacted. `envelope` is left as published. */
typedef struct ww_alert {
    size_t struct_size;
    int64_t seq;
    ww_str topic;    /* "alert.<watchlist>" */
    ww_str envelope; /* the whole JSON envelope, as published */
    ww_str alert_id; /* stable per (watchlist, feed, item): a receiver may deduplicate on it */
    ww_str detected_at;
    ww_str watchlist;
    ww_str query;
    ww_str feed_title;
    ww_str feed_url;
    ww_str title;
    ww_str link;
    ww_str published; /* RFC 3339, or empty */
    ww_str summary;   /* plain text */
    ww_str language;
    ww_str snippet;
    const ww_str* terms;
    size_t terms_count;
    const ww_str* categories;
    size_t categories_count;
    const ww_str* authors;
    size_t authors_count;
} ww_alert;

enum ww_log_level { WW_LOG_DEBUG = 0, WW_LOG_INFO = 1, WW_LOG_WARN = 2, WW_LOG_ERROR = 3 };

typedef struct ww_http_header {
    ww_str name;
    ww_str value;
} ww_http_header;

typedef struct ww_http_request {
    size_t struct_size;
    ww_str method; /* "POST" (empty means POST) or "PUT" */
    ww_str url;
    ww_str body;
    const ww_http_header* headers; /* Content-Type among them */
    size_t headers_count;
    int32_t timeout_ms; /* 0: the host's default */
} ww_http_request;

typedef struct ww_http_response {
    size_t struct_size;
    int32_t status; /* 0 when no response arrived; `error` says why */
    ww_str error;   /* transport failure (DNS, connect, timeout), redacted; empty otherwise */
    ww_str body;
    const ww_http_header* headers;
    size_t headers_count;
    /* The host's reading of a Retry-After header (seconds or HTTP date), in milliseconds;
     * -1 when there is none. */
    int64_t retry_after_ms;
} ww_http_response;

typedef void (*ww_http_response_fn)(void* user, const ww_http_response* response);
typedef void (*ww_text_fn)(void* user, ww_str text);

enum ww_escape {
    WW_ESCAPE_NONE = 0,     /* plain text */
    WW_ESCAPE_HTML = 1,     /* & < > " escaped; the template's own tags are kept */
    WW_ESCAPE_SLACK = 2,    /* Slack/Mattermost mrkdwn: & < > escaped */
    WW_ESCAPE_MARKDOWN = 3, /* Discord markdown: \ * _ ~ ` | > [ ] ( ) backslash-escaped */
};

/* A mustache template rendered by the host against one alert. Variables: seq, alert_id,
 * detected_at, watchlist, query, feed_title, feed_url, title, link, published, summary,
 * language, snippet, terms_text ("a, b"), the lists terms, categories, authors, and the
 * booleans has_link, has_snippet, has_published. `{{x}}` is escaped as `escape` says;
 * `{{{x}}}` is not.
 * When `max_length` > 0 the result is at most that many UTF-16 code units of visible text
 * (what the chat services count; for HTML and Slack, entities count as one and tags as none):
 * the summary and snippet are shortened first, then the text is cut with `ellipsis`, never
 * inside a UTF-8 sequence, an entity or a tag, and open HTML tags are closed. */
typedef struct ww_render_request {
    size_t struct_size;
    ww_str template_text;
    int32_t escape; /* enum ww_escape */
    size_t max_length;
    ww_str ellipsis; /* empty: "…" */
} ww_render_request;

/* Services the host offers to a plugin instance. The table and the functions stay valid from
 * ww_plugin_init until ww_plugin_cleanup returns. Each function may be called from the thread
 * the host is calling the plugin on (init or deliver), and from no other. */
typedef struct ww_host_services {
    size_t struct_size;
    void* host; /* pass back as the first argument */
    uint32_t abi_version;
    ww_str sink_name;

    /* One log line, attributed to this sink. The host redacts every registered secret. */
    void (*log)(void* host, int32_t level, ww_str message);

    /* Registers a secret (a token, a URL with a token in it) so that the host replaces it in
     * every log line and failure message. Options read from `*_file` keys and the sink's `url`
     * are registered by the host already. */
    void (*add_secret)(void* host, ww_str secret);

    /* A blocking HTTP request with a timeout. Calls `on_response` exactly once before
     * returning (also on transport failure, with status 0); the response is borrowed for the
     * duration of that call. Returns 0, or -1 when the request itself was malformed. */
    int32_t (*http_request)(void* host, const ww_http_request* request,
                            ww_http_response_fn on_response, void* user);

    /* Renders a template (see ww_render_request). Calls `on_text` once with the result before
     * returning 0; returns -1 without calling it when the template does not parse, after
     * writing the reason to the log. */
    int32_t (*render)(void* host, const ww_render_request* request, const ww_alert* alert,
                      ww_text_fn on_text, void* user);
} ww_host_services;

enum ww_outcome {
    WW_DELIVERED = 0,         /* the service accepted the alert */
    WW_RETRY = 1,             /* try again later (5xx, 429, timeout, connection refused) */
    WW_PERMANENT_FAILURE = 2, /* retrying cannot help (400, 401, 403, 404): recorded as failed */
};

/* What deliver reports. The host zeroes it and sets struct_size before each call. */
typedef struct ww_delivery {
    size_t struct_size;
    int32_t outcome;        /* enum ww_outcome */
    int64_t retry_after_ms; /* WW_RETRY: wait at least this long; -1: the host's backoff */
    char message[512];      /* NUL-terminated; why it was not delivered (the host redacts it) */
} ww_delivery;

/* Delivers one alert. Called on the sink's own thread, never concurrently for one instance,
 * in `seq` order; a retried alert is passed again with the same fields (so an idempotency key
 * derived from alert_id or seq stays the same). Must not block longer than its HTTP timeouts. */
typedef void (*ww_deliver_fn)(void* instance, const ww_alert* alert, ww_delivery* result);

/* Filled by ww_plugin_init. The host zeroes it and sets struct_size before the call. */
typedef struct ww_plugin_instance {
    size_t struct_size;
    void* instance; /* the plugin's state, passed to deliver and cleanup */
    ww_deliver_fn deliver;
} ww_plugin_instance;

/* Called once per loaded module, on the host's start-up thread, before anything else.
 * `offered` lists the ABI versions the host supports. Returns the chosen one, or 0 to refuse
 * (the host then reports both sides' versions and does not start). */
WW_PLUGIN_EXPORT uint32_t ww_plugin_version(const uint32_t* offered, size_t offered_count);

/* Creates one sink instance. Called on the host's start-up thread, after ww_plugin_version.
 * `options` are borrowed for the call: copy what you keep. On failure returns non-zero and
 * writes a NUL-terminated reason (without secrets) into `error`. */
WW_PLUGIN_EXPORT int32_t ww_plugin_init(const ww_host_services* host, const ww_option* options,
                                        size_t options_count, ww_plugin_instance* out,
                                        char* error, size_t error_capacity);

/* Destroys an instance made by ww_plugin_init. Called on the host's shutdown thread after the
 * sink's thread has stopped: no deliver call is running or will run. */
WW_PLUGIN_EXPORT void ww_plugin_cleanup(void* instance);

typedef uint32_t (*ww_plugin_version_fn)(const uint32_t*, size_t);
typedef int32_t (*ww_plugin_init_fn)(const ww_host_services*, const ww_option*, size_t,
                                     ww_plugin_instance*, char*, size_t);
typedef void (*ww_plugin_cleanup_fn)(void*);

#ifdef __cplusplus
}
#endif
