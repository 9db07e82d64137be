#ifndef SEGWORK_LUA_SUPPORT_H
#define SEGWORK_LUA_SUPPORT_H
/*
 * C side of the Lua plugin host. Everything that may raise a Lua error (longjmp) runs here, inside
 * lua_pcall; every function declared in this header is safe to call from Swift: none of them raises.
 *
 * One sw_host owns one lua_State (one plugin). It is not thread-safe; only the watchdog thread reads
 * a few atomic fields of it. That thread arms the budget hook of a long call by sending SIGURG to the
 * thread running it (see arming.c): the host installs a SIGURG handler (chaining to any earlier one)
 * and unblocks SIGURG on that thread for the duration of each call.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lua.h>

typedef struct sw_host sw_host;

/* Outcome of a host call. */
enum {
    SW_OK = 0,
    SW_ERR_RUNTIME = 1,    /* a Lua error escaped the plugin */
    SW_ERR_SYNTAX = 2,     /* the file (or a binary chunk) could not be compiled */
    SW_ERR_MEMORY = 3,     /* the memory cap was hit */
    SW_ERR_BUDGET = 4,     /* the instruction budget of one call was exhausted */
    SW_ERR_TIME = 5,       /* the wall-clock limit of one call was exceeded */
    SW_ERR_BADRETURN = 6,  /* the plugin returned a value of the wrong type (message = its type name) */
    SW_ERR_FORBIDDEN = 7,  /* the plugin tried something the sandbox forbids */
    SW_ERR_UNREADABLE = 8, /* the plugin file could not be read */
    SW_ERR_HOST = 9,       /* the host itself failed (out of system memory, bad input) */
    SW_ERR_SOURCE_CAP = 10, /* a source emitted more data than its cap (sw_config.source_bytes) */
    SW_ERR_BAD_UTF8 = 11    /* assign returned a label that is not valid UTF-8 (message = the label, shown) */
};

/* Column value types for sw_column.type. */
enum { SW_COL_INTEGER = 0, SW_COL_DOUBLE = 1, SW_COL_BOOL = 2, SW_COL_STRING = 3 };

/* Row modes for sw_run_rows. */
enum { SW_MODE_ASSIGN = 0, SW_MODE_SCORE = 1 };

/* Slots of the host table that Swift may read with sw_push_slot. */
/* SW_SLOT_REQUIRE: module name -> what require returned; SW_SLOT_READ_FILES: path given to src:lines -> true (set on
 * the first successful open; absent until then). */
enum { SW_SLOT_MANIFEST = 3, SW_SLOT_P = 4, SW_SLOT_REQUIRE = 9, SW_SLOT_LABELS = 10, SW_SLOT_READ_FILES = 12 };

/* Plain-data node tags for sw_node. */
enum { SW_NODE_NIL = 0, SW_NODE_BOOL, SW_NODE_INT, SW_NODE_DOUBLE, SW_NODE_STRING, SW_NODE_ARRAY, SW_NODE_OBJECT };

/*
 * A plain data value flattened in pre-order: a container node is followed by its `count` children.
 * Children of an OBJECT carry their key in key_off/key_len; children of an ARRAY are numbered from `base`.
 * String bytes live in one shared buffer passed next to the nodes.
 */
typedef struct sw_node {
    int32_t tag;
    int32_t base;
    int64_t count;
    int64_t i;
    double d;
    int64_t str_off, str_len;
    int64_t key_off, key_len;
} sw_node;

/* One input column of a criterion or scorer call. */
typedef struct sw_column {
    const char *name;
    size_t name_len;
    int32_t type;
    const void *data;            /* int64_t*, double*, bool* or int32_t* codes */
    const uint64_t *validity;    /* NULL: no missing values */
    const char *dict_bytes;      /* string columns: all dictionary strings back to back */
    const int64_t *dict_offsets; /* dict_count + 1 offsets into dict_bytes */
    int64_t dict_count;
} sw_column;

/* One cell emitted by a source plugin. */
typedef struct sw_cell {
    int32_t tag;  /* SW_NODE_NIL, _BOOL, _INT, _DOUBLE or _STRING */
    int64_t i;
    double d;
    const char *s;
    size_t len;
} sw_cell;

/* Receives seg.log lines; returns 0 on success (non-zero makes seg.log raise). Never raises. */
typedef int (*sw_log_fn)(void *ud, const char *msg, size_t len);

/* Called by the watchdog thread when one call is stuck; returns 1 if it handled it, 0 for the default
 * (print a message and _exit(1)). `context` says where the call was (" for row 8", or what the context
 * function below wrote; " while producing record 12" in a source's read; "" otherwise); `row` is the 0-based
 * row of a per-row call and `record` the 0-based record a source was producing, each -1 when not known. */
typedef int (*sw_watchdog_fn)(const char *plugin, const char *file, const char *context, int64_t row, int64_t record,
                              double stuck_seconds, double limit_seconds);

/* Describes row `row` of a stuck per-row call for the watchdog's message (e.g. " for customer C7 (data/c.csv,
 * line 8)"), writing at most `cap` bytes including the NUL into `out`; `log_ud` is the host's sw_config.log_ud.
 * Called on the watchdog thread while the host cannot be freed; leave `out` empty for the default wording. */
typedef void (*sw_watchdog_context_fn)(void *log_ud, int64_t row, char *out, size_t cap);

typedef struct sw_config {
    const char *plugin_file;
    int64_t instructions;
    int64_t memory_bytes;
    double seconds;
    double watchdog_seconds;
    int64_t source_bytes; /* cap on what one read may emit: string bytes + SW_EMIT_VALUE_BYTES per value; <= 0: none */
    int64_t random_seed;
    bool has_frozen_time;
    int64_t frozen_time;
    const char *const *library_paths;
    int32_t library_path_count;
    const char *file_root; /* NULL: sources may not read files */
    sw_log_fn log;
    void *log_ud;
    const char *chunk_name; /* how Lua names the plugin's chunk in messages (workspace-relative); NULL: the file's base name */
    const char *const *library_labels; /* how require's "searched:" message names each of library_paths (same count;
                                          never an absolute path of Segwork's own); NULL: the paths themselves */
} sw_config;

/* Life cycle. sw_host_new returns NULL when the state cannot be created. */
sw_host *sw_host_new(const sw_config *config);
void sw_host_free(sw_host *h);
lua_State *sw_host_state(sw_host *h);
void sw_host_set_name(sw_host *h, const char *name);

/* Calls; each returns an SW_* status; details via the sw_error_* accessors. */
int sw_load_chunk(sw_host *h);
int sw_capture_functions(sw_host *h, const char *main_function);
int sw_configure(sw_host *h, const sw_node *nodes, int64_t count, const char *strings);
int sw_prepare(sw_host *h, const sw_node *nodes, int64_t count, const char *strings);
int sw_run_rows(sw_host *h, int32_t mode, const sw_column *columns, int32_t column_count, int64_t rows,
                int32_t *codes, double *values, bool *valid);
int64_t sw_label_count(sw_host *h);
int sw_read_source(sw_host *h, const char *const *names, int32_t count);
int64_t sw_emitted_records(sw_host *h);
sw_cell sw_emitted_cell(sw_host *h, int64_t record, int32_t column);
void sw_release_emitted(sw_host *h);

/* One column of a cleaner call: the input (as for criteria; dates as SW_COL_STRING "YYYY-MM-DD" text with
 * is_date set) and where the cleaned values go. `out` is int64_t*, double*, bool* or, for text, int32_t* codes:
 * a code below in.dict_count is the input dictionary's entry, dict_count + k is the k-th string in
 * sw_clean_strings for this column. out_valid[i] is false for a missing value (and for dropped rows). */
typedef struct sw_clean_column {
    sw_column in;
    int32_t is_date;  /* the value must be a "YYYY-MM-DD" string (checked by the caller) */
    int32_t withhold; /* pii: messages never show its values, and when any column is withheld, only withheld
                       * columns may change (a personal value cannot move into an exported column) */
    void *out;
    bool *out_valid;
    int64_t changed;  /* set by sw_run_clean: values of kept rows that differ from the input (missing counts) */
} sw_clean_column;

/* New strings returned by a cleaner, interned per column in plain C memory. */
typedef struct sw_clean_strings sw_clean_strings;
sw_clean_strings *sw_clean_strings_new(int32_t columns); /* NULL when out of memory */
void sw_clean_strings_free(sw_clean_strings *s);
int64_t sw_clean_strings_count(const sw_clean_strings *s, int32_t column);
const char *sw_clean_string(const sw_clean_strings *s, int32_t column, int64_t k, size_t *len);

/* Calls clean(row, p) for each row. keep[i] is false where clean returned nil. A bad return fails with
 * SW_ERR_BADRETURN and a message "<what was returned>\x1f<what was expected>"; sw_error_row names the row. */
int sw_run_clean(sw_host *h, sw_clean_column *columns, int32_t count, int64_t rows, bool *keep,
                 sw_clean_strings *strings);

/* Pushes a host slot (a table or nil) on the stack; returns 0 when the stack cannot grow. */
int sw_push_slot(sw_host *h, int32_t slot);

/* Details of the last failed call (valid until the next call). */
const char *sw_error_message(sw_host *h);
size_t sw_error_message_length(sw_host *h); /* bytes of the message, which may hold NUL bytes */
const char *sw_error_traceback(sw_host *h);
int64_t sw_error_row(sw_host *h);
const char *sw_trip_source(sw_host *h);
int32_t sw_trip_line(sw_host *h);

/* Bytes each emitted value (every declared column of every record, missing or not) counts towards
 * sw_config.source_bytes, on top of the bytes of its string. */
#define SW_EMIT_VALUE_BYTES 16

/* Whether s[0..len) is valid UTF-8 (shortest forms only, no surrogates, at most U+10FFFF). */
int sw_utf8_valid(const char *s, size_t len);

/* Writes s[0..len) for an error message into out (NUL-terminated, at most SW_SHOW_BYTES_MAX bytes with
 * the NUL): in double quotes, valid UTF-8 as is, other bytes and control characters as \xHH, `"` and
 * `\` escaped, cut after 60 input bytes with "...". Returns the length written. */
#define SW_SHOW_BYTES_MAX 320
size_t sw_show_bytes(const char *s, size_t len, char *out);

/* Watchdog (process-wide). NULL restores the default handler. */
void sw_set_watchdog_handler(sw_watchdog_fn handler);
/* The function that describes a stuck row (process-wide); NULL: " for row N". */
void sw_set_watchdog_context(sw_watchdog_context_fn describe);

#endif
