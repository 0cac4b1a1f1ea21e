/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sectimg.exe: an image for the section tests of ntapitest (section.c),
 * linked at a base of its own (0x150000000, base/ntapitest/build.mk) so
 * that a test can map it at its preferred base first and elsewhere next.
 * Its data holds absolute pointers (DIR64 relocations) and a writable
 * variable (a copy-on-write page); run as a program it just exits with
 * the value that pointer gives.
 */
#include <ntnative.h>

static const char SectimgMessage[] = "sectimg";
/* An absolute address in read-only data: a relocation the loader applies. */
const char *const SectimgPointer = SectimgMessage;
/* A writable page of the image. */
volatile ULONG SectimgCounter = 0x5ec71;

NTSTATUS NtProcessStartup(PPEB Peb)
{
    (void)Peb;
    SectimgCounter++;
    return SectimgPointer[0] == 's' ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
}
