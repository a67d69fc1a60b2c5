using System.Numerics;

namespace Zeze.Serialize.Tests;

/// <summary>
/// A slow model of the two compact integer forms, written from the layout rules of wire-and-schema.md A3/A4
/// (sign bit, run of length bits, terminator, big-endian payload) rather than from the encoder's tables, so
/// that the property tests compare two independent derivations.
/// </summary>
internal static class ReferenceVarint
{
    /// <summary>
    /// Signed: sign s, then n-1 bits of !s, then (n ≤ 8) a terminator s and 7n-1 payload bits. The value is
    /// the 7n-bit two's complement number whose top bit is s and whose other bits are the payload (so one
    /// byte holds -64..63, as E3 and E6 show); n = 9 holds the 63 low bits after a 9-bit prefix.
    /// </summary>
    public static byte[] Signed(long x)
    {
        int n = 1;
        while (n < 9 && !FitsSigned(x, 7 * n)) n++;
        bool s = x < 0;
        var bits = new List<bool> { s };
        for (int k = 0; k < n - 1; k++) bits.Add(!s);
        int payloadBits;
        if (n <= 8)
        {
            bits.Add(s);
            payloadBits = 7 * n - 1;
        }
        else
        {
            payloadBits = 63; // no terminator: the 63 bits after the 9-bit prefix
        }
        for (int b = payloadBits - 1; b >= 0; b--) bits.Add(((x >> b) & 1) != 0);
        return Pack(bits);
    }

    /// <summary>Unsigned: n-1 leading ones, then (n ≤ 8) a zero and 7n payload bits; n = 9 is FF and 8 bytes.</summary>
    public static byte[] Unsigned(ulong x)
    {
        int n = 1;
        while (n < 9 && (n * 7 >= 64 ? false : x >> (7 * n) != 0)) n++;
        var bits = new List<bool>();
        for (int k = 0; k < n - 1; k++) bits.Add(true);
        int payloadBits;
        if (n <= 8)
        {
            bits.Add(false);
            payloadBits = 7 * n;
        }
        else
        {
            payloadBits = 64; // FF: eight ones and no terminator
        }
        for (int b = payloadBits - 1; b >= 0; b--) bits.Add(((x >> b) & 1) != 0);
        return Pack(bits);
    }

    private static bool FitsSigned(long x, int width)
    {
        var v = new BigInteger(x);
        var half = BigInteger.One << (width - 1);
        return v >= -half && v < half;
    }

    private static byte[] Pack(List<bool> bits)
    {
        if (bits.Count % 8 != 0) throw new InvalidOperationException($"{bits.Count} bits");
        var bytes = new byte[bits.Count / 8];
        for (int i = 0; i < bits.Count; i++)
            if (bits[i]) bytes[i / 8] |= (byte)(0x80 >> (i % 8));
        return bytes;
    }
}
