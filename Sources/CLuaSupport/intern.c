/*
 * New strings a cleaner returns, interned per column in plain C memory (outside the Lua state, so they
 * never count towards the plugin's memory cap and need no Lua references to stay alive). Nothing here
 * touches Lua or can raise: allocation failures are reported by return value.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>

typedef struct intern_set {
    char *bytes;
    size_t len, cap;
    int64_t *offsets; /* count + 1 entries once anything was added */
    int64_t count, offsets_cap;
    uint64_t *slots;  /* 0: empty, else SLOT(hash, index) */
    size_t slot_count;
} intern_set;

/* The input dictionary of a column, hashed on first use to find a returned string among its entries. */
typedef struct original_index {
    uint64_t *slots; /* 0: empty, else SLOT(hash, code) */
    size_t slot_count;
    int built;
} original_index;

struct sw_clean_strings {
    int32_t columns;
    intern_set *sets;
    original_index *originals;
};

sw_clean_strings *sw_clean_strings_new(int32_t columns) {
    sw_clean_strings *s = calloc(1, sizeof *s);
    if (s == NULL) return NULL;
    s->columns = columns > 0 ? columns : 0;
    s->sets = calloc(s->columns > 0 ? (size_t)s->columns : 1, sizeof(intern_set));
    s->originals = calloc(s->columns > 0 ? (size_t)s->columns : 1, sizeof(original_index));
    if (s->sets == NULL || s->originals == NULL) {
        free(s->sets);
        free(s->originals);
        free(s);
        return NULL;
    }
    return s;
}

void sw_clean_strings_free(sw_clean_strings *s) {
    if (s == NULL) return;
    for (int32_t c = 0; c < s->columns; c++) {
        free(s->sets[c].bytes);
        free(s->sets[c].offsets);
        free(s->sets[c].slots);
        free(s->originals[c].slots);
    }
    free(s->sets);
    free(s->originals);
    free(s);
}

int64_t sw_clean_strings_count(const sw_clean_strings *s, int32_t column) {
    return column >= 0 && column < s->columns ? s->sets[column].count : 0;
}

const char *sw_clean_string(const sw_clean_strings *s, int32_t column, int64_t k, size_t *len) {
    const intern_set *set = &s->sets[column];
    *len = (size_t)(set->offsets[k + 1] - set->offsets[k]);
    return set->bytes + set->offsets[k];
}

static uint64_t hash_bytes(const char *p, size_t n) {
    uint64_t x = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        x ^= (unsigned char)p[i];
        x *= 1099511628211u;
    }
    /* FNV's low bits are weak for similar keys; mix before masking (MurmurHash3's fmix64). */
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdu;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53u;
    x ^= x >> 33;
    return x;
}

/* A slot holds the entry's index + 1 in its low 32 bits and the high half of its hash above, so a probe
 * compares bytes (a cache miss or two) only when the hashes agree. */
#define SLOT(hash, index) (((hash) & 0xffffffff00000000u) | (uint64_t)((index) + 1))
#define SLOT_INDEX(slot) ((int64_t)((slot) & 0xffffffffu) - 1)
#define SLOT_TAG(slot) ((slot) & 0xffffffff00000000u)

static int grow_slots(intern_set *set) {
    size_t n = set->slot_count ? set->slot_count * 2 : 1024;
    uint64_t *slots = calloc(n, sizeof(uint64_t));
    if (slots == NULL) return 0;
    for (int64_t k = 0; k < set->count; k++) {
        const char *p = set->bytes + set->offsets[k];
        uint64_t hash = hash_bytes(p, (size_t)(set->offsets[k + 1] - set->offsets[k]));
        size_t at = (size_t)hash & (n - 1);
        while (slots[at]) at = (at + 1) & (n - 1);
        slots[at] = SLOT(hash, k);
    }
    free(set->slots);
    set->slots = slots;
    set->slot_count = n;
    return 1;
}

int64_t sw_clean_intern(sw_clean_strings *s, int32_t column, const char *p, size_t n, int *added) {
    intern_set *set = &s->sets[column];
    *added = 0;
    if ((size_t)(set->count + 1) * 2 > set->slot_count && !grow_slots(set)) return -1;
    size_t mask = set->slot_count - 1;
    uint64_t hash = hash_bytes(p, n);
    size_t at = (size_t)hash & mask;
    while (set->slots[at]) {
        if (SLOT_TAG(set->slots[at]) == SLOT_TAG(hash)) {
            int64_t k = SLOT_INDEX(set->slots[at]);
            size_t len = (size_t)(set->offsets[k + 1] - set->offsets[k]);
            if (len == n && memcmp(set->bytes + set->offsets[k], p, n) == 0) return k;
        }
        at = (at + 1) & mask;
    }
    if (set->cap - set->len < n) {
        size_t cap = set->cap ? set->cap : 65536;
        while (cap - set->len < n) cap *= 2;
        char *bytes = realloc(set->bytes, cap);
        if (bytes == NULL) return -1;
        set->bytes = bytes;
        set->cap = cap;
    }
    if (set->count + 2 > set->offsets_cap) {
        int64_t cap = set->offsets_cap ? set->offsets_cap * 2 : 1024;
        int64_t *offsets = realloc(set->offsets, (size_t)cap * sizeof(int64_t));
        if (offsets == NULL) return -1;
        if (set->offsets_cap == 0) offsets[0] = 0;
        set->offsets = offsets;
        set->offsets_cap = cap;
    }
    if (n) memcpy(set->bytes + set->len, p, n);
    set->len += n;
    set->offsets[set->count + 1] = (int64_t)set->len;
    set->slots[at] = SLOT(hash, set->count);
    *added = 1;
    return set->count++;
}

int64_t sw_clean_find_original(sw_clean_strings *s, int32_t column, const sw_column *in, const char *p, size_t n) {
    original_index *o = &s->originals[column];
    if (in->dict_count <= 0) return -1;
    if (!o->built) {
        size_t count = 16;
        while (count < (size_t)in->dict_count * 2) count *= 2;
        o->slots = calloc(count, sizeof(uint64_t));
        if (o->slots == NULL) return -2;
        o->slot_count = count;
        for (int64_t k = 0; k < in->dict_count; k++) {
            const char *e = in->dict_bytes + in->dict_offsets[k];
            uint64_t hash = hash_bytes(e, (size_t)(in->dict_offsets[k + 1] - in->dict_offsets[k]));
            size_t at = (size_t)hash & (count - 1);
            while (o->slots[at]) at = (at + 1) & (count - 1);
            o->slots[at] = SLOT(hash, k);
        }
        o->built = 1;
    }
    size_t mask = o->slot_count - 1;
    uint64_t hash = hash_bytes(p, n);
    size_t at = (size_t)hash & mask;
    while (o->slots[at]) {
        if (SLOT_TAG(o->slots[at]) == SLOT_TAG(hash)) {
            int64_t k = SLOT_INDEX(o->slots[at]);
            size_t len = (size_t)(in->dict_offsets[k + 1] - in->dict_offsets[k]);
            if (len == n && memcmp(in->dict_bytes + in->dict_offsets[k], p, n) == 0) return k;
        }
        at = (at + 1) & mask;
    }
    return -1;
}
