/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef SR_CORE_HASH_H
#define SR_CORE_HASH_H

/**
 * Hash functions: MD5 (the schema identity Confluent exposes as `guid`),
 * CRC-64-AVRO (the Avro Parsing Canonical Form fingerprint) and a fast
 * non-cryptographic hash for in-memory tables. All are pure functions of
 * their input and thread-safe.
 */

#include <stddef.h>
#include <stdint.h>

/** Incremental MD5 context (implemented with OpenSSL's EVP interface). */
typedef struct sr_md5 {
	void *evp; /**< EVP_MD_CTX *, owned */
} sr_md5;

void sr_md5_init(sr_md5 *m);
void sr_md5_update(sr_md5 *m, const void *data, size_t n);
/** Write the 16-byte digest and release the context. */
void sr_md5_final(sr_md5 *m, unsigned char out[16]);
/** One-shot MD5. */
void sr_md5_digest(unsigned char out[16], const void *data, size_t n);

/** Render 16 bytes as a UUID string 8-4-4-4-12 (37 bytes incl. NUL). */
void sr_uuid_format(char out[37], const unsigned char bytes[16]);

/** Render `n` bytes as lower-case hex (2n+1 bytes incl. NUL). */
void sr_hex(char *out, const unsigned char *bytes, size_t n);

/** The value (0..15) of the hex digit `c` (0-9, a-f, A-F), or -1 for any other character. */
int sr_hex_digit(int c);

/** CRC-64-AVRO (Rabin fingerprint, EMPTY = 0xc15d213aa4d7a795). */
uint64_t sr_crc64_avro(const void *data, size_t n);

/** Fast 64-bit hash for hash tables (not cryptographic, not stable across versions). */
uint64_t sr_hash64(const void *data, size_t n);

#endif
