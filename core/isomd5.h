/* isomd5.h - media check data as implantisomd5 writes it (isomd5sum), checked
 * by checkisomd5 and dracut's rd.live.check.
 *
 * The 512-byte application use field of the primary volume descriptor
 * (offset 883) holds
 *   ISO MD5SUM = <md5>;SKIPSECTORS = 15;RHLISOSTATUS=<0|1>;
 *   FRAGMENT SUMS = <60 hex chars>;FRAGMENT COUNT = 20;THIS IS NOT THE SAME ...
 * padded with blanks.  The MD5 covers the image from byte 0 up to the volume
 * size (PVD field) minus 15 sectors, read with that field blank; the 20
 * fragment sums are the first hex digits of the running MD5 at fragment
 * boundaries, sampled every 32 KiB as isomd5sum does.
 *
 * isomd5_implant() computes it in-process over the freshly written ISO (one
 * sequential read, normally from the page cache) and writes the field.
 * Contract: 0 on success, -1 after log_fail().
 */
#ifndef KSC_ISOMD5_H
#define KSC_ISOMD5_H

#include <stdbool.h>
#include <stddef.h>

int isomd5_implant(const char *iso, bool supported, char md5_out[33]);

/* The same computation on the bytes of an ISO as it is being written (the
 * ISO writer feeds everything it writes, in order, from offset 0):
 * isomd5_stream_finish() then gives the 512-byte field to write at *offset
 * (the PVD's application use field) and the MD5.  -1 (nothing logged) when
 * the stream held no primary volume descriptor or ended early. */
struct isomd5_stream;
struct isomd5_stream *isomd5_stream_new(void);
void isomd5_stream_feed(struct isomd5_stream *s, const void *buf, size_t n);
int  isomd5_stream_finish(struct isomd5_stream *s, bool supported, char field[512], long long *offset,
                          char md5_out[33]);
void isomd5_stream_free(struct isomd5_stream *s);

/* Verify like checkisomd5 (0 = matches, 1 = mismatch, -1 = no data/error,
 * nothing logged). */
int isomd5_verify(const char *iso);

#endif
