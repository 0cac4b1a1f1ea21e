/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A DLL for the pe-image suite (built with mingw-w64, no CRT): named
 * exports to look up, a data export with a known value and a pointer to it
 * (a DIR64 base relocation), so a relocated layout can be checked.
 */
__declspec(dllexport) const unsigned long long PeTestMagic = 0x1122334455667788ull;
__declspec(dllexport) const unsigned long long *PeTestSelf = &PeTestMagic;
__declspec(dllexport) int PeTestAlpha(void)
{
    return 1;
}
__declspec(dllexport) int PeTestBeta(void)
{
    return 2;
}
__declspec(dllexport) int PeTestGamma(void)
{
    return 3;
}
__declspec(dllexport) int LdrInitializeThunk(void)
{
    return 4;
}
