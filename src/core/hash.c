/*
 * Copyright (c) the LLM Schema Registry authors.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "core/hash.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/mem.h"

void sr_md5_init(sr_md5 *m)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_md5(), NULL) != 1)
		sr_fatal("md5: cannot initialise");
	m->evp = ctx;
}

void sr_md5_update(sr_md5 *m, const void *data, size_t n)
{
	if (n && EVP_DigestUpdate(m->evp, data, n) != 1)
		sr_fatal("md5: update failed");
}

void sr_md5_final(sr_md5 *m, unsigned char out[16])
{
	unsigned int len = 16;
	if (EVP_DigestFinal_ex(m->evp, out, &len) != 1 || len != 16)
		sr_fatal("md5: final failed");
	EVP_MD_CTX_free(m->evp);
	m->evp = NULL;
}

void sr_md5_digest(unsigned char out[16], const void *data, size_t n)
{
	sr_md5 m;
	sr_md5_init(&m);
	sr_md5_update(&m, data, n);
	sr_md5_final(&m, out);
}

void sr_hex(char *out, const unsigned char *bytes, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * n] = '\0';
}

int sr_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void sr_uuid_format(char out[37], const unsigned char b[16])
{
	char hex[33];
	sr_hex(hex, b, 16);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
		 hex + 16, hex + 20);
}

#define CRC64_AVRO_EMPTY 0xc15d213aa4d7a795ULL

static uint64_t crc64_table[256];
static pthread_once_t crc64_once = PTHREAD_ONCE_INIT;

static void crc64_init(void)
{
	int i, j;

	for (i = 0; i < 256; i++) {
		uint64_t fp = (uint64_t)i;
		for (j = 0; j < 8; j++)
			fp = (fp >> 1) ^ (CRC64_AVRO_EMPTY & (0 - (fp & 1)));
		crc64_table[i] = fp;
	}
}

uint64_t sr_crc64_avro(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t fp = CRC64_AVRO_EMPTY;
	size_t i;

	pthread_once(&crc64_once, crc64_init);
	for (i = 0; i < n; i++)
		fp = (fp >> 8) ^ crc64_table[(fp ^ p[i]) & 0xff];
	return fp;
}

/* FNV-1a over 8-byte words with a final avalanche (from splitmix64):
 * fast for the short keys (subject names, ids) the tables hold. */
uint64_t sr_hash64(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ULL ^ n;
	uint64_t w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	while (n--) {
		h = (h ^ *p++) * 0x100000001b3ULL;
	}
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}
