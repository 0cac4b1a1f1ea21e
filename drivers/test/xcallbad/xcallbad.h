/* SPDX-License-Identifier: BSD-2-Clause */
/* drivers/test/xcallbad: what base/ntapitest/xcall.c asks of it. */
#pragma once

/* out: XCALLBAD_CASES NTSTATUS values, one per hostile call (xcallbad.c's
 * table, in order). Sent to \Device\XcallBad. */
#define IOCTL_XCALLBAD_RUN ((0x22u << 16) | (0x950 << 2))
#define XCALLBAD_CASES     20
