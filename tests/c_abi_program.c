/* Calls every function of hi_c_abi.h as a C program would, and checks each
 * result: tests/test_c_abi.py compiles it against each route's shipped
 * header and library, runs it, and fails on a nonzero exit. Prints "ok" last.
 * Pass the panic probe as argv[1] in a panic build (tox -e panic) to check
 * that every function returns HI_STATUS_PANIC on it instead of aborting. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hi_c_abi.h"

static int failures = 0;
#define CHECK(cond)                                                   \
    do {                                                              \
        if (!(cond)) {                                                \
            fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                               \
        }                                                             \
    } while (0)

/* This thread's last error message, NUL-terminated, in a static buffer. */
static const char *last_error(void) {
    static char text[256];
    HiBuffer out = {text, sizeof text - 1, 0};
    CHECK(hi_last_error(&out) == HI_STATUS_OK);
    CHECK(out.len <= out.cap);
    text[out.len <= out.cap ? out.len : 0] = '\0';
    return text;
}

/* keep: counts its calls in *ctx; keeps words longer than one byte. */
static int keep_long(void *ctx, const char *word, size_t len) {
    (void)word;
    ++*(int *)ctx;
    return len > 1;
}

/* keep: stops at the word "stop". */
static int keep_until_stop(void *ctx, const char *word, size_t len) {
    ++*(int *)ctx;
    return len == 4 && memcmp(word, "stop", 4) == 0 ? -1 : 1;
}

/* keep: calls the same counter back (no lock is held during keep). */
static int keep_reentrant(void *ctx, const char *word, size_t len) {
    HiWordCounter *counter = ctx;
    uint64_t total = 0;
    CHECK(hi_counter_total(counter, &total) == HI_STATUS_OK);
    if (len == 1 && word[0] == 'a') CHECK(hi_counter_add(counter, "nested", 6) == HI_STATUS_OK);
    return 1;
}

static void check_panics(const char *probe) {
    size_t len = strlen(probe);
    uint32_t crc = 0;
    CHECK(hi_checksum((const uint8_t *)probe, len, 0, &crc) == HI_STATUS_PANIC);
    CHECK(strcmp(last_error(), "injected panic") == 0);
    size_t spans[8];
    HiSpans out = {spans, 4, 0};
    CHECK(hi_split(probe, len, &out) == HI_STATUS_PANIC);
    HiWordCounter *counter = hi_counter_new();
    CHECK(hi_counter_add(counter, probe, len) == HI_STATUS_PANIC);
    /* The probe as the whole text panics in split, before keep; as a word,
     * right after keep returned for it. */
    int calls = 0;
    CHECK(hi_counter_add_keep(counter, probe, len, keep_long, &calls) == HI_STATUS_PANIC);
    CHECK(calls == 0);
    char text[256];
    CHECK(len + 5 <= sizeof text);
    snprintf(text, sizeof text, "a %s b", probe);
    CHECK(hi_counter_add_keep(counter, text, len + 4, keep_long, &calls) == HI_STATUS_PANIC);
    CHECK(calls == 2);
    CHECK(strcmp(last_error(), "injected panic") == 0);
    size_t words = 0;
    CHECK(hi_counter_len(counter, &words) == HI_STATUS_OK && words == 0);
    hi_counter_free(counter);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        check_panics(argv[1]);
        printf(failures ? "FAILED\n" : "ok\n");
        return failures != 0;
    }
    /* The constants. */
    CHECK(strcmp(hi_hi(), "Hello from Rust!") == 0);
    CHECK(strlen(hi_version()) > 0);
    CHECK(hi_greet_extra() == strlen("Hello, !"));
    CHECK(hi_checksum_detach_from() > 0);

    /* greet: into a buffer of the exact size; an error's message after asking its length. */
    char greeting[32];
    HiBuffer out = {greeting, 3 + hi_greet_extra(), 0};
    CHECK(hi_greet_into("C\0!", 3, &out) == HI_STATUS_OK);
    CHECK(out.len == 11 && memcmp(greeting, "Hello, C\0!!", 11) == 0);
    HiBuffer none = {NULL, 0, 0};
    CHECK(hi_greet_into("", 0, &none) == HI_STATUS_EMPTY_NAME);
    CHECK(none.len == strlen("name must not be empty"));
    CHECK(hi_greet_into("x", 1, NULL) == HI_STATUS_NULL_POINTER);

    /* checksum: zlib's CRC-32, chained; NULL data of length 0; NULL out. */
    uint32_t crc = 1;
    CHECK(hi_checksum((const uint8_t *)"123456789", 9, 0, &crc) == HI_STATUS_OK);
    CHECK(crc == 0xCBF43926u);
    uint32_t half = 0;
    CHECK(hi_checksum((const uint8_t *)"1234", 4, 0, &half) == HI_STATUS_OK);
    CHECK(hi_checksum((const uint8_t *)"56789", 5, half, &half) == HI_STATUS_OK);
    CHECK(half == 0xCBF43926u);
    CHECK(hi_checksum(NULL, 0, 7, &crc) == HI_STATUS_OK && crc == 7);
    CHECK(hi_checksum(NULL, 3, 0, &crc) == HI_STATUS_NULL_POINTER);
    CHECK(strcmp(last_error(), "data is NULL but its length is 3") == 0);
    CHECK(hi_checksum((const uint8_t *)"x", 1, 0, NULL) == HI_STATUS_NULL_POINTER);

    /* split: character spans; a buffer too small is reported, then filled. */
    const char *text = " a\xc3\xa9  \xf0\x9f\xa6\x80x\x1f" "b\t";  /* " aé  🦀x<US>b\t" */
    size_t spans[6] = {0};
    HiSpans room = {spans, 1, 0};
    CHECK(hi_split(text, strlen(text), &room) == HI_STATUS_OK);
    CHECK(room.len == 3 && spans[0] == 1 && spans[1] == 3 && spans[2] == 0);
    room.cap = 3;
    CHECK(hi_split(text, strlen(text), &room) == HI_STATUS_OK);
    size_t expected[6] = {1, 3, 5, 7, 8, 9};
    CHECK(room.len == 3 && memcmp(spans, expected, sizeof expected) == 0);
    HiSpans empty = {NULL, 0, 99};
    CHECK(hi_split(NULL, 0, &empty) == HI_STATUS_OK && empty.len == 0);
    CHECK(hi_split("\xff", 1, &empty) == HI_STATUS_INVALID_UTF8);
    CHECK(strcmp(last_error(), "text is not valid UTF-8 (invalid byte at offset 0)") == 0);
    CHECK(hi_split("a", 1, NULL) == HI_STATUS_NULL_POINTER);

    /* WordCounter: every function, the callbacks, NULLs and frees. */
    HiWordCounter *counter = hi_counter_new();
    CHECK(counter != NULL);
    CHECK(hi_counter_add(counter, "b a b", 5) == HI_STATUS_OK);
    int calls = 0;
    CHECK(hi_counter_add_keep(counter, "c aa a", 6, keep_long, &calls) == HI_STATUS_OK);
    CHECK(calls == 3);
    CHECK(hi_counter_add_keep(counter, "d", 1, NULL, NULL) == HI_STATUS_OK);
    calls = 0;
    CHECK(hi_counter_add_keep(counter, "x stop y", 8, keep_until_stop, &calls) == HI_STATUS_STOPPED);
    CHECK(calls == 2);
    CHECK(strcmp(last_error(), "keep returned -1: the add stopped, nothing was counted") == 0);
    CHECK(hi_counter_add_mask(counter, "e f", 3, (const uint8_t *)"\1\0", 2) == HI_STATUS_OK);
    CHECK(hi_counter_add_mask(counter, "e f", 3, (const uint8_t *)"\1", 1) == HI_STATUS_MASK_LENGTH);
    uint64_t n = 99;
    CHECK(hi_counter_count(counter, "b", 1, &n) == HI_STATUS_OK && n == 2);
    CHECK(hi_counter_count(counter, "x", 1, &n) == HI_STATUS_OK && n == 0);
    CHECK(hi_counter_count(counter, "\xff", 1, &n) == HI_STATUS_INVALID_UTF8);
    size_t distinct = 0;
    CHECK(hi_counter_len(counter, &distinct) == HI_STATUS_OK && distinct == 5);
    uint64_t total = 0;
    CHECK(hi_counter_total(counter, &total) == HI_STATUS_OK && total == 6);
    HiMostCommon top;
    CHECK(hi_counter_most_common(counter, 2, &top) == HI_STATUS_OK);
    CHECK(top.len == 2 && top.words_len == 3 && memcmp(top.words, "b\na", 3) == 0);
    CHECK(top.counts[0] == 2 && top.counts[1] == 1);
    hi_most_common_free(&top);
    CHECK(top.words == NULL && top.counts == NULL && top.len == 0);
    hi_most_common_free(&top); /* emptied: a second free does nothing */
    CHECK(hi_counter_most_common(counter, SIZE_MAX, &top) == HI_STATUS_OK);
    CHECK(top.len == 5 && memcmp(top.words, "b\na\naa\nd\ne", top.words_len) == 0);
    hi_most_common_free(&top);
    CHECK(hi_counter_most_common(counter, 0, &top) == HI_STATUS_OK && top.len == 0 && top.words == NULL);
    hi_most_common_free(&top);
    hi_most_common_free(NULL);
    /* Re-entrant keep: the nested add is applied, the outer one after it. */
    CHECK(hi_counter_add_keep(counter, "a z", 3, keep_reentrant, counter) == HI_STATUS_OK);
    CHECK(hi_counter_count(counter, "nested", 6, &n) == HI_STATUS_OK && n == 1);
    CHECK(hi_counter_total(counter, &total) == HI_STATUS_OK && total == 9);
    /* NULL counters and results are refused, not dereferenced. */
    CHECK(hi_counter_add(NULL, "a", 1) == HI_STATUS_NULL_POINTER);
    CHECK(strcmp(last_error(), "counter is NULL") == 0);
    CHECK(hi_counter_add_keep(NULL, "a", 1, NULL, NULL) == HI_STATUS_NULL_POINTER);
    CHECK(hi_counter_add_mask(NULL, "a", 1, (const uint8_t *)"\1", 1) == HI_STATUS_NULL_POINTER);
    CHECK(hi_counter_count(NULL, "a", 1, &n) == HI_STATUS_NULL_POINTER);
    CHECK(hi_counter_count(counter, "a", 1, NULL) == HI_STATUS_NULL_POINTER);
    CHECK(hi_counter_len(NULL, &distinct) == HI_STATUS_NULL_POINTER);
    CHECK(hi_counter_total(counter, NULL) == HI_STATUS_NULL_POINTER);
    CHECK(hi_counter_most_common(NULL, 1, &top) == HI_STATUS_NULL_POINTER);
    CHECK(hi_counter_most_common(counter, 1, NULL) == HI_STATUS_NULL_POINTER);
    CHECK(hi_last_error(NULL) == HI_STATUS_NULL_POINTER);
    hi_counter_free(counter);
    hi_counter_free(NULL);

    /* json: loads into a flat value the library owns, dumps of a flat
     * value written here, the errors' fields, and hi_json_free's rules. */
    HiJson json;
    const char *doc = "[1, {\"a\": null, \"a\": true}, \"\\u00e9\"]";
    CHECK(hi_json_loads_str(doc, strlen(doc), 100, 11, 4300, &json) == HI_STATUS_OK);
    const uint8_t flat_doc[] = "[\3\0\0\0i\1\0\0\0{\xfa\1aNr\0\0\0\0T0u\2\0\0\0\xc3\xa9";
    CHECK(json.len == sizeof flat_doc - 1 && memcmp(json.ptr, flat_doc, json.len) == 0);
    CHECK(json.depth == 2 && json.extended == 0);
    hi_json_free(&json);
    CHECK(json.ptr == NULL && json.len == 0);
    hi_json_free(&json); /* emptied: a second free does nothing */
    hi_json_free(NULL);
    CHECK(hi_json_dumps(flat_doc, sizeof flat_doc - 1, 100, &json) == HI_STATUS_OK);
    const char *written = "[1, {\"a\": null, \"a\": true}, \"\\u00e9\"]";
    CHECK(json.len == strlen(written) && memcmp(json.ptr, written, json.len) == 0);
    hi_json_free(&json);
    CHECK(hi_json_loads_str("[1,", 3, 100, 11, 0, &json) == HI_STATUS_JSON_SYNTAX);
    CHECK(json.pos == 3 && json.ptr == NULL);
    CHECK(strcmp(last_error(), "Expecting value") == 0);
    CHECK(hi_json_loads_bytes((const uint8_t *)"\"\xff\"", 3, 100, 11, 0, &json) == HI_STATUS_JSON_DECODE);
    CHECK(json.encoding_len == 5 && memcmp(json.encoding, "utf-8", 5) == 0);
    CHECK(json.pos == 0 && json.start == 1 && json.end == 2);
    CHECK(hi_json_loads_str("[[1]]", 5, 1, 11, 0, &json) == HI_STATUS_JSON_TOO_DEEP);
    const uint8_t set_of_one[] = "?\3\0\0\0set";
    CHECK(hi_json_dumps(set_of_one, sizeof set_of_one - 1, 100, &json) == HI_STATUS_JSON_TYPE);
    CHECK(strcmp(last_error(), "Object of type set is not JSON serializable") == 0);
    const uint8_t marshal_set[] = "<\0\0\0\0";
    CHECK(hi_json_dumps(marshal_set, 5, 100, &json) == HI_STATUS_FLAT_UNSUPPORTED);
    const uint8_t list_of_nothing[] = "[\1\0\0\0";
    CHECK(hi_json_dumps(list_of_nothing, 5, 100, &json) == HI_STATUS_FLAT_MALFORMED);
    CHECK(hi_json_dumps(NULL, 3, 100, &json) == HI_STATUS_NULL_POINTER);
    CHECK(hi_json_loads_str("1", 1, 100, 11, 0, NULL) == HI_STATUS_NULL_POINTER);
    CHECK(hi_json_not_text("int", 3) == HI_STATUS_JSON_TYPE);
    CHECK(strcmp(last_error(), "the JSON object must be str, bytes or bytearray, not int") == 0);

    printf(failures ? "FAILED\n" : "ok\n");
    return failures != 0;
}
