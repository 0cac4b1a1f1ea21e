/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NT time: a signed 64-bit count of 100 ns intervals since 1601-01-01 UTC
 * (a Monday), in the proleptic Gregorian calendar. This file converts it to
 * and from TIME_FIELDS and to and from the 32-bit second counts since 1970
 * and 1980. Day arithmetic counts whole 400-year cycles (146097 days) so it
 * needs no table beyond the month lengths.
 */
#include "rtlp.h"

#define RTLP_TICKS_PER_MS  10000LL
#define RTLP_TICKS_PER_DAY (86400LL * RTL_TICKS_PER_SECOND)
#define RTLP_DAYS_PER_400  146097
#define RTLP_DAYS_PER_100  36524
#define RTLP_DAYS_PER_4    1461

static BOOLEAN RtlpIsLeapYear(LONG Year)
{
    return (Year % 4 == 0 && Year % 100 != 0) || Year % 400 == 0;
}

static LONG RtlpDaysInMonth(LONG Year, LONG Month)
{
    static const UCHAR Days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return Days[Month - 1] + (Month == 2 && RtlpIsLeapYear(Year) ? 1 : 0);
}

/* Year and day-of-year (0-based) of a day count since 1601-01-01. */
static LONG RtlpYearFromDays(LONGLONG Days, LONG *DayOfYear)
{
    LONG Year = 1601 + (LONG)(Days / RTLP_DAYS_PER_400) * 400;
    LONG Rest = (LONG)(Days % RTLP_DAYS_PER_400);
    LONG Centuries = Rest / RTLP_DAYS_PER_100, Quads, Years;

    if (Centuries == 4) /* the last day of a 400-year cycle */
        Centuries = 3;
    Rest -= Centuries * RTLP_DAYS_PER_100;
    Quads = Rest / RTLP_DAYS_PER_4;
    Rest -= Quads * RTLP_DAYS_PER_4;
    Years = Rest / 365;
    if (Years == 4) /* the last day of a leap year */
        Years = 3;
    Rest -= Years * 365;
    *DayOfYear = Rest;
    return Year + Centuries * 100 + Quads * 4 + Years;
}

VOID NTAPI RtlTimeToTimeFields(PLARGE_INTEGER Time, PTIME_FIELDS TimeFields)
{
    LONGLONG Ticks = Time->QuadPart, Days = Ticks / RTLP_TICKS_PER_DAY;
    LONGLONG InDay = Ticks % RTLP_TICKS_PER_DAY;
    LONG DayOfYear, Month = 1;
    LONG Year = RtlpYearFromDays(Days, &DayOfYear);

    while (DayOfYear >= RtlpDaysInMonth(Year, Month)) {
        DayOfYear -= RtlpDaysInMonth(Year, Month);
        Month++;
    }
    TimeFields->Year = (CSHORT)Year;
    TimeFields->Month = (CSHORT)Month;
    TimeFields->Day = (CSHORT)(DayOfYear + 1);
    TimeFields->Hour = (CSHORT)(InDay / (3600 * RTL_TICKS_PER_SECOND));
    TimeFields->Minute = (CSHORT)(InDay / (60 * RTL_TICKS_PER_SECOND) % 60);
    TimeFields->Second = (CSHORT)(InDay / RTL_TICKS_PER_SECOND % 60);
    TimeFields->Milliseconds = (CSHORT)(InDay / RTLP_TICKS_PER_MS % 1000);
    TimeFields->Weekday = (CSHORT)((Days + 1) % 7);
}

/* Days from 1601-01-01 to January 1st of Year (Year >= 1601). */
static LONGLONG RtlpDaysBeforeYear(LONG Year)
{
    LONG y = Year - 1601;

    return (LONGLONG)y * 365 + y / 4 - y / 100 + y / 400;
}

BOOLEAN NTAPI RtlTimeFieldsToTime(PTIME_FIELDS TimeFields, PLARGE_INTEGER Time)
{
    const TIME_FIELDS *f = TimeFields;
    LONGLONG Days;
    LONG Month;

    if (f->Milliseconds < 0 || f->Milliseconds > 999 || f->Second < 0 || f->Second > 59 ||
        f->Minute < 0 || f->Minute > 59 || f->Hour < 0 || f->Hour > 23 || f->Month < 1 ||
        f->Month > 12 || f->Year < 1601 || f->Day < 1 ||
        f->Day > RtlpDaysInMonth(f->Year, f->Month))
        return FALSE;
    Days = RtlpDaysBeforeYear(f->Year);
    for (Month = 1; Month < f->Month; Month++)
        Days += RtlpDaysInMonth(f->Year, Month);
    Days += f->Day - 1;
    Time->QuadPart =
        Days * RTLP_TICKS_PER_DAY +
        (((LONGLONG)f->Hour * 60 + f->Minute) * 60 + f->Second) * RTL_TICKS_PER_SECOND +
        (LONGLONG)f->Milliseconds * RTLP_TICKS_PER_MS;
    return TRUE;
}

static BOOLEAN RtlpTimeToSeconds(PLARGE_INTEGER Time, LONGLONG Epoch, PULONG ElapsedSeconds)
{
    LONGLONG Seconds = Time->QuadPart / RTL_TICKS_PER_SECOND - Epoch;

    if (Seconds < 0 || Seconds > 0xFFFFFFFFLL)
        return FALSE;
    *ElapsedSeconds = (ULONG)Seconds;
    return TRUE;
}

BOOLEAN NTAPI RtlTimeToSecondsSince1970(PLARGE_INTEGER Time, PULONG ElapsedSeconds)
{
    return RtlpTimeToSeconds(Time, RTL_SECONDS_1601_TO_1970, ElapsedSeconds);
}

BOOLEAN NTAPI RtlTimeToSecondsSince1980(PLARGE_INTEGER Time, PULONG ElapsedSeconds)
{
    return RtlpTimeToSeconds(Time, RTL_SECONDS_1601_TO_1980, ElapsedSeconds);
}

VOID NTAPI RtlSecondsSince1970ToTime(ULONG ElapsedSeconds, PLARGE_INTEGER Time)
{
    Time->QuadPart = ((LONGLONG)ElapsedSeconds + RTL_SECONDS_1601_TO_1970) * RTL_TICKS_PER_SECOND;
}

VOID NTAPI RtlSecondsSince1980ToTime(ULONG ElapsedSeconds, PLARGE_INTEGER Time)
{
    Time->QuadPart = ((LONGLONG)ElapsedSeconds + RTL_SECONDS_1601_TO_1980) * RTL_TICKS_PER_SECOND;
}
