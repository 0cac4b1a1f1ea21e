/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What system service handlers see of user memory, and the probe and
 * capture routines the generated unmarshallers (build/ntos/ntsvc_table.c,
 * from ntos/services.def) call before a handler runs (ke/svccapture.c).
 * A handler never gets a raw user pointer: captured arguments are ntos
 * copies, user buffers and addresses come in the typed wrappers below and
 * are only touched through MmCopyFromUser / MmCopyToUser (STYLE §5).
 */
#pragma once

#include <ntos.h>
#include <mm.h>

/* A user address used as a number (a base address, a start routine). */
typedef struct _USER_ADDRESS {
    ULONG_PTR Value;
} USER_ADDRESS;

/* A user buffer whose range was checked to lie in user space (it may still
 * be unmapped: mm's copy routines report that). Address 0 only when the
 * parameter is optional and was NULL; then Length is 0. */
typedef struct _USER_BUFFER {
    ULONG_PTR Address;
    SIZE_T Length;
} USER_BUFFER;

/* OBJECT_ATTRIBUTES after capture. ObjectName is NULL or points at Name,
 * whose Buffer is ntos pool memory. The security fields are not captured
 * yet (FIXME: with se/). */
typedef struct _CAPTURED_OBJECT_ATTRIBUTES {
    HANDLE RootDirectory;
    const UNICODE_STRING *ObjectName;
    UNICODE_STRING Name;
    ULONG Attributes;
    USER_ADDRESS SecurityDescriptor;
    USER_ADDRESS SecurityQualityOfService;
} CAPTURED_OBJECT_ATTRIBUTES;

/* Lowest user address a service accepts (the first 64 KiB are never mapped,
 * as on Windows) and one past the highest. */
#define KI_USER_PROBE_LOW 0x10000ull
#define KI_USER_PROBE_END (MM_USER_TOP + 1)

typedef enum _KI_PROBE_MODE {
    KI_PROBE_READ,  /* the handler's input: the capture reads it anyway */
    KI_PROBE_WRITE, /* an out pointer: every page must be readable now */
} KI_PROBE_MODE;

/*
 * Check a user pointer to Size bytes: 0 gives NullStatus unless Optional
 * (then STATUS_SUCCESS), a misaligned one STATUS_DATATYPE_MISALIGNMENT, one
 * outside user space or wrapping STATUS_ACCESS_VIOLATION; KI_PROBE_WRITE also
 * reads and writes back a byte of each page, so that an unmapped or
 * read-only out pointer fails before the handler acts.
 */
NTSTATUS KiProbeUser(PEPROCESS Process, ULONG_PTR Address, SIZE_T Size, ULONG Align,
                     BOOLEAN Optional, NTSTATUS NullStatus, KI_PROBE_MODE Mode);

/* Check a user buffer range. Length 0 is always valid (nothing is touched,
 * as on Windows); Address 0 with a length gives NullStatus, or an empty
 * buffer if Optional. */
NTSTATUS KiProbeUserBuffer(ULONG_PTR Address, SIZE_T Length, BOOLEAN Optional, NTSTATUS NullStatus,
                           USER_BUFFER *Buffer);

/*
 * Probe an information buffer as Windows' ProbeForRead / ProbeForWrite do,
 * with the alignment of the record it is to hold: the handler of a service
 * whose buffer is declared probe=handler (services.def) calls it once it
 * knows the class, at the point of its checks where Windows probes. Length
 * 0: nothing is checked (STATUS_SUCCESS). Then an address that is not a
 * multiple of Align (a power of two; 1 for byte records) gives
 * STATUS_DATATYPE_MISALIGNMENT, a range past the top of user space or
 * wrapping STATUS_ACCESS_VIOLATION. KI_PROBE_READ stops there, so a NULL or
 * unmapped buffer fails only when the handler copies to it, after its other
 * checks (Windows: the first write faults); KI_PROBE_WRITE also touches
 * every page (read, write back) of the current thread's process, so such a
 * buffer fails now.
 */
NTSTATUS KiProbeClassBuffer(USER_BUFFER Buffer, ULONG Align, KI_PROBE_MODE Mode);

/*
 * Capture a UNICODE_STRING at UserAddress (4-aligned, as Windows probes it)
 * and its Length bytes. BadStatus for
 * an odd Length or Length > MaximumLength; STATUS_DATATYPE_MISALIGNMENT for an
 * odd buffer address; STATUS_ACCESS_VIOLATION for unreadable memory;
 * STATUS_INSUFFICIENT_RESOURCES when the pool is out.
 * On success Captured->Buffer is pool memory (NULL when Length is 0) and
 * MaximumLength == Length; release with KiReleaseUnicodeString (also safe on
 * a zeroed or failed capture).
 */
NTSTATUS KiCaptureUnicodeString(PEPROCESS Process, ULONG_PTR UserAddress, UNICODE_STRING *Captured,
                                NTSTATUS BadStatus);
void KiReleaseUnicodeString(UNICODE_STRING *Captured);

/* Capture OBJECT_ATTRIBUTES: Length must be sizeof(OBJECT_ATTRIBUTES) and
 * Attributes within OBJ_VALID_ATTRIBUTES (STATUS_INVALID_PARAMETER); the name,
 * if any, is captured with BadStatus for bad lengths. */
NTSTATUS KiCaptureObjectAttributes(PEPROCESS Process, ULONG_PTR UserAddress,
                                   CAPTURED_OBJECT_ATTRIBUTES *Captured, NTSTATUS BadStatus);
void KiReleaseObjectAttributes(CAPTURED_OBJECT_ATTRIBUTES *Captured);

/* The generated dispatcher (ntsvc_table.c). Unknown number:
 * STATUS_INVALID_SYSTEM_SERVICE; ArgCount not the declared count:
 * STATUS_INVALID_PARAMETER; a handler not linked: STATUS_NOT_IMPLEMENTED. */
NTSTATUS KiDispatchService(PETHREAD Thread, seL4_Word Label, seL4_Word *Args, ULONG ArgCount);
const char *KiServiceName(seL4_Word Number);
BOOLEAN KiServiceImplemented(seL4_Word Number);
