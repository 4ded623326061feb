/* Strict unpadded base64url (RFC 4648 §5): the encoder never pads, the decoder
 * refuses padding, other alphabets, and non-zero trailing bits. */
#ifndef ZC_B64URL_H
#define ZC_B64URL_H

#include <stddef.h>

/* Encoded length (without NUL) for n input bytes. */
size_t b64url_encoded_len(size_t n);

/* Writes the encoding of in[0..n) plus a NUL into out (cap bytes); returns the
 * length written or 0 when out is too small. */
size_t b64url_encode(const unsigned char *in, size_t n, char *out, size_t cap);

/* Decodes s[0..n) into out (cap bytes); returns the decoded length, or -1 when the
 * input is not strict unpadded base64url or out is too small. */
long b64url_decode(const char *s, size_t n, unsigned char *out, size_t cap);

#endif
