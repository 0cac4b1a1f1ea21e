/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The system archive: the files ntos serves (ntdll.dll, programs, later
 * drivers and the registry hive), packed by tools/mkarchive.py and linked
 * in by ke/archive.S. Names are looked up case-insensitively (ASCII).
 *
 * The format is tools/mkarchive.py's (integers little-endian, offsets from
 * the archive's start): char[8] "NRDARC01", u32 count, u32 reserved, then
 * count entries of 64 bytes {char name[48] NUL-padded, u64 offset, u64
 * size}, then the data, each file at a multiple of 4096 (ke/archive.S
 * aligns the archive so those are page boundaries in ntos too). Every field
 * is checked against the archive's size before use, so a damaged archive
 * finds nothing instead of faulting.
 */
#include "kep.h"

#define KI_ARCHIVE_MAGIC  "NRDARC01"
#define KI_ARCHIVE_HEADER 16
#define KI_ARCHIVE_ENTRY  64
#define KI_ARCHIVE_NAME   48

extern const char KiArchiveStart[], KiArchiveEnd[];

static uint32_t KiRead32(const UCHAR *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static uint64_t KiRead64(const UCHAR *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* True when [Offset, Offset + Length) lies inside a Size-byte archive. */
static bool KiInArchive(uint64_t Offset, uint64_t Length, SIZE_T Size)
{
    return Offset <= Size && Length <= Size - Offset;
}

static bool KiArchiveNameIs(const UCHAR *Entry, const char *Name, size_t NameLength)
{
    if (NameLength >= KI_ARCHIVE_NAME || Entry[NameLength] != '\0')
        return false;
    return RtlpCompareAsciiNoCase((const char *)Entry, Name, NameLength) == 0;
}

bool KiFindFileInArchive(const void *Archive, SIZE_T ArchiveSize, const char *Name,
                         const void **Data, SIZE_T *Size)
{
    const UCHAR *Base = Archive;
    size_t NameLength = strlen(Name);
    uint32_t Count;

    /* An empty archive may stop after the count. */
    if (ArchiveSize < 12 || memcmp(Base, KI_ARCHIVE_MAGIC, 8) != 0)
        return false;
    Count = KiRead32(Base + 8);
    if (Count == 0 ||
        !KiInArchive(KI_ARCHIVE_HEADER, (uint64_t)Count * KI_ARCHIVE_ENTRY, ArchiveSize))
        return false;
    for (uint32_t i = 0; i < Count; i++) {
        const UCHAR *Entry = Base + KI_ARCHIVE_HEADER + (SIZE_T)i * KI_ARCHIVE_ENTRY;
        uint64_t DataOff = KiRead64(Entry + KI_ARCHIVE_NAME);
        uint64_t DataSize = KiRead64(Entry + KI_ARCHIVE_NAME + 8);
        if (KiArchiveNameIs(Entry, Name, NameLength) &&
            KiInArchive(DataOff, DataSize, ArchiveSize)) {
            *Data = Base + DataOff;
            *Size = (SIZE_T)DataSize;
            return true;
        }
    }
    return false;
}

bool KeFindArchiveFile(const char *Name, const void **Data, SIZE_T *Size)
{
    return KiFindFileInArchive(KiArchiveStart, (SIZE_T)(KiArchiveEnd - KiArchiveStart), Name, Data,
                               Size);
}

bool KeIsArchiveData(const void *Data, SIZE_T Size)
{
    const char *p = Data;

    return p >= KiArchiveStart && p <= KiArchiveEnd && Size <= (SIZE_T)(KiArchiveEnd - p);
}

/* ps: the name of the archive file whose bytes start at Data (an image
 * section knows its file's bytes, not its name). */
bool KeArchiveFileName(const void *Data, char *Name, SIZE_T NameSize)
{
    const UCHAR *Base = (const UCHAR *)KiArchiveStart;
    SIZE_T ArchiveSize = (SIZE_T)(KiArchiveEnd - KiArchiveStart);
    uint32_t Count;

    if (ArchiveSize < 12 || memcmp(Base, KI_ARCHIVE_MAGIC, 8) != 0 || NameSize == 0)
        return false;
    Count = KiRead32(Base + 8);
    if (!KiInArchive(KI_ARCHIVE_HEADER, (uint64_t)Count * KI_ARCHIVE_ENTRY, ArchiveSize))
        return false;
    for (uint32_t i = 0; i < Count; i++) {
        const UCHAR *Entry = Base + KI_ARCHIVE_HEADER + (SIZE_T)i * KI_ARCHIVE_ENTRY;

        if (Base + KiRead64(Entry + KI_ARCHIVE_NAME) != Data)
            continue;
        strncpy(Name, (const char *)Entry, NameSize - 1);
        Name[NameSize - 1] = 0;
        return true;
    }
    return false;
}

/* dirctl branch: io's \SystemRoot directory lists the archive in order. */
bool KiArchiveFileAt(const void *Archive, SIZE_T ArchiveSize, ULONG Index, char *Name,
                     SIZE_T NameSize, const void **Data, SIZE_T *Size)
{
    const UCHAR *Base = Archive, *Entry;
    uint64_t DataOff, DataSize;
    SIZE_T Copy;

    if (ArchiveSize < 12 || memcmp(Base, KI_ARCHIVE_MAGIC, 8) != 0 || NameSize == 0 ||
        Index >= KiRead32(Base + 8) ||
        !KiInArchive(KI_ARCHIVE_HEADER, ((uint64_t)Index + 1) * KI_ARCHIVE_ENTRY, ArchiveSize))
        return false;
    Entry = Base + KI_ARCHIVE_HEADER + (SIZE_T)Index * KI_ARCHIVE_ENTRY;
    DataOff = KiRead64(Entry + KI_ARCHIVE_NAME);
    DataSize = KiRead64(Entry + KI_ARCHIVE_NAME + 8);
    if (!KiInArchive(DataOff, DataSize, ArchiveSize))
        return false;
    Copy = NameSize - 1 < KI_ARCHIVE_NAME - 1 ? NameSize - 1 : KI_ARCHIVE_NAME - 1;
    memcpy(Name, Entry, Copy);
    Name[Copy] = 0;
    *Data = Base + DataOff;
    *Size = (SIZE_T)DataSize;
    return true;
}

bool KeArchiveFileAt(ULONG Index, char *Name, SIZE_T NameSize, const void **Data, SIZE_T *Size)
{
    return KiArchiveFileAt(KiArchiveStart, (SIZE_T)(KiArchiveEnd - KiArchiveStart), Index, Name,
                           NameSize, Data, Size);
}
