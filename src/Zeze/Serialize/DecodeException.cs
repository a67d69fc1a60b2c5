namespace Zeze.Serialize;

/// <summary>
/// The one exception thrown when bytes cannot be decoded: truncated input, a length or count larger than
/// the data, an incompatible field type, nesting deeper than <see cref="ByteBuffer.MaxDepth"/>, or a
/// reserved tag. Decoding never reads outside the buffer; a frame that fails to decode closes only its
/// own connection.
/// </summary>
public sealed class DecodeException : Exception
{
    public DecodeException(string message) : base(message) { }
    public DecodeException(string message, Exception inner) : base(message, inner) { }
}
