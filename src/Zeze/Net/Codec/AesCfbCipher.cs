using System.Security.Cryptography;

namespace Zeze.Net.Codec;

/// <summary>
/// AES-128 in CFB mode with 128-bit feedback over the endless byte stream of one connection direction
/// (wire-and-schema.md B7). Sends end on arbitrary byte counts, so the unused keystream of a partial block
/// carries over to the next call. Whole blocks go through the platform's one-shot CFB in one call; only a
/// partial block computes its keystream with a single ECB block. Not thread-safe.
/// </summary>
public sealed class AesCfbCipher : IDisposable
{
    private const int Block = 16;

    private readonly Aes _aes;
    private readonly bool _encrypt;
    private readonly byte[] _register = new byte[Block];  // the previous ciphertext block (the next IV)
    private readonly byte[] _keystream = new byte[Block]; // AES(register) for the partial block in progress
    private readonly byte[] _lastCipherBlock = new byte[Block];
    private int _used = Block;                            // keystream bytes already consumed

    public AesCfbCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, bool encrypt)
    {
        if (key.Length != 16) throw new ArgumentException($"AES-128 needs a 16-byte key, not {key.Length}", nameof(key));
        if (iv.Length != Block) throw new ArgumentException($"the IV must be 16 bytes, not {iv.Length}", nameof(iv));
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _encrypt = encrypt;
        iv.CopyTo(_register);
    }

    /// <summary>Encrypts or decrypts <paramref name="data"/> in place.</summary>
    public void Transform(Span<byte> data)
    {
        // 1. finish the partial block left by the previous call
        while (_used < Block && data.Length > 0)
        {
            TransformByte(ref data[0]);
            data = data[1..];
        }
        if (data.IsEmpty) return;

        // 2. whole blocks in one call; the register becomes the last ciphertext block
        int whole = data.Length & ~(Block - 1);
        if (whole > 0)
        {
            var blocks = data[..whole];
            if (_encrypt)
            {
                _aes.EncryptCfb(blocks, _register, blocks, PaddingMode.None, 128);
                blocks[^Block..].CopyTo(_register);
            }
            else
            {
                blocks[^Block..].CopyTo(_lastCipherBlock);
                _aes.DecryptCfb(blocks, _register, blocks, PaddingMode.None, 128);
                _lastCipherBlock.CopyTo(_register, 0);
            }
            data = data[whole..];
        }

        // 3. start a new partial block
        if (!data.IsEmpty)
        {
            _aes.EncryptEcb(_register, _keystream, PaddingMode.None);
            _used = 0;
            for (int i = 0; i < data.Length; i++)
                TransformByte(ref data[i]);
        }
    }

    private void TransformByte(ref byte b)
    {
        if (_encrypt)
        {
            b ^= _keystream[_used];
            _register[_used++] = b;
        }
        else
        {
            _register[_used] = b;
            b ^= _keystream[_used++];
        }
    }

    public void Dispose() => _aes.Dispose();
}
