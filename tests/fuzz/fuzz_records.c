/* libFuzzer target: LMDB record decoders (a damaged database must not overrun). */
#include <stddef.h>
#include <stdint.h>

#include "records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct participant p;
	struct admin_account a;
	struct admin_session s;
	struct city c;
	struct season se;
	rec_participant_decode(data, size, &p);
	rec_admin_decode(data, size, &a);
	rec_session_decode(data, size, &s);
	rec_city_decode(data, size, &c);
	rec_season_decode(data, size, &se);
	return 0;
}
