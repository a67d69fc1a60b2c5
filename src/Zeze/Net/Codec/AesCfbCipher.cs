using System.Security.Cryptography;

namespace Zeze.Net.Codec;

/// <summary>
/// AES-128 in CFB mode with 128-bit feedback over the endless byte stream of one connection direction
/// (wire-and-schema.md B7). Sends end on arbitrary byte counts, so a block may be split across calls.
/// </summary>
/// <remarks>
/// Whole blocks go through one persistent CFB transform of the platform, which keeps the feedback
/// register between calls. A trailing partial block is handled here with the keystream of that register
/// (one ECB block); when the rest of that block arrives, the whole block is fed through the CFB transform
/// again, which recomputes the bytes already produced and moves its register on, so it stays in step
/// with the stream. Each call thus costs at most three platform calls and no allocation (one-shot
/// <c>EncryptCfb</c> would set up a native cipher context on every call). Not thread-safe.
/// </remarks>
public sealed class AesCfbCipher : IDisposable
{
    private const int Block = 16;

    private readonly Aes _aes;
    private readonly ICryptoTransform _cfb;       // continuous CFB128 encryptor or decryptor
    private readonly ICryptoTransform _ecb;       // AES of one block, for a partial block's keystream
    private readonly bool _encrypt;
    private readonly byte[] _register = new byte[Block];   // the last whole ciphertext block
    private readonly byte[] _keystream = new byte[Block];
    private readonly byte[] _partial = new byte[Block];    // the partial block so far, as fed to _cfb later
    private int _partialLength;
    private byte[] _scratch = new byte[256];

    public AesCfbCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, bool encrypt)
    {
        if (key.Length != 16) throw new ArgumentException($"AES-128 needs a 16-byte key, not {key.Length}", nameof(key));
        if (iv.Length != Block) throw new ArgumentException($"the IV must be 16 bytes, not {iv.Length}", nameof(iv));
        _aes = Aes.Create();
        _aes.Padding = PaddingMode.None;
        var keyBytes = key.ToArray();
        var ivBytes = iv.ToArray();
        _aes.Mode = CipherMode.ECB;
        _ecb = _aes.CreateEncryptor(keyBytes, null);
        _aes.Mode = CipherMode.CFB;
        _aes.FeedbackSize = 128;
        _cfb = encrypt ? _aes.CreateEncryptor(keyBytes, ivBytes) : _aes.CreateDecryptor(keyBytes, ivBytes);
        _encrypt = encrypt;
        iv.CopyTo(_register);
    }

    /// <summary>Encrypts or decrypts <paramref name="data"/> in place.</summary>
    public void Transform(Span<byte> data)
    {
        // 1. continue a partial block
        if (_partialLength > 0 && !data.IsEmpty)
        {
            int n = Math.Min(Block - _partialLength, data.Length);
            TransformPartial(data[..n]);
            data = data[n..];
            if (_partialLength == Block)
            {
                // The block is whole: let the CFB transform see it, so that its register moves on.
                _cfb.TransformBlock(_partial, 0, Block, _keystream, 0);
                (_encrypt ? _keystream : _partial).AsSpan().CopyTo(_register);
                _partialLength = 0;
            }
        }

        // 2. whole blocks in one call
        int whole = data.Length & ~(Block - 1);
        if (whole > 0)
        {
            if (_scratch.Length < whole) _scratch = new byte[Math.Max(whole, _scratch.Length * 2)];
            data[..whole].CopyTo(_scratch);
            if (!_encrypt) data.Slice(whole - Block, Block).CopyTo(_register);
            _cfb.TransformBlock(_scratch, 0, whole, _scratch, 0);
            _scratch.AsSpan(0, whole).CopyTo(data);
            if (_encrypt) data.Slice(whole - Block, Block).CopyTo(_register);
            data = data[whole..];
        }

        // 3. start a partial block
        if (!data.IsEmpty)
        {
            _ecb.TransformBlock(_register, 0, Block, _keystream, 0);
            TransformPartial(data);
        }
    }

    // Uses the keystream of the block in progress; remembers the bytes the CFB transform must see later
    // (the plaintext when encrypting, the ciphertext when decrypting).
    private void TransformPartial(Span<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            byte input = data[i];
            byte output = (byte)(input ^ _keystream[_partialLength]);
            _partial[_partialLength++] = input; // plaintext when encrypting, ciphertext when decrypting
            data[i] = output;
        }
    }

    public void Dispose()
    {
        _cfb.Dispose();
        _ecb.Dispose();
        _aes.Dispose();
    }
}
