using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Zeze.Net.Codec;
using Zeze.Transaction;

namespace Zeze.Net.Handshake;

/// <summary>
/// A service that runs Zeze's handshake on every connection (B5): the server side on accepted connections,
/// the client side on connections it makes. Both sides install their codecs at the moments the spec gives,
/// so the first encrypted byte on each direction is the first the peer decrypts.
/// </summary>
public class HandshakeService : Service
{
    private static readonly int[] s_supportedCompress = [CompressType.Mppc];
    private static readonly object s_exchanged = new(); // server side: the key exchange happened

    private readonly Lazy<RSA?> _rsaPrivate;
    private readonly Lazy<RSA?> _rsaPublic;

    public HandshakeService(string name, ServiceOptions? options = null, ILoggerFactory? loggerFactory = null,
        IProcedureRunner? procedureRunner = null, TimeProvider? timeProvider = null)
        : base(name, options, loggerFactory, procedureRunner, timeProvider)
    {
        _rsaPrivate = new(() => string.IsNullOrEmpty(Options.RsaPriKeyFile) ? null : RsaKeys.FromPrivateKeyFile(Options.RsaPriKeyFile));
        _rsaPublic = new(() => string.IsNullOrEmpty(Options.RsaPubKey) ? null : RsaKeys.FromPublicModulusHex(Options.RsaPubKey));
        Register(SHandshake0.TypeId_, static () => new SHandshake0(), static (s, p) => s.ProcessSHandshake0((SHandshake0)p));
        Register(CHandshake.TypeId_, static () => new CHandshake(), static (s, p) => s.ProcessCHandshake((CHandshake)p));
        Register(SHandshake.TypeId_, static () => new SHandshake(), static (s, p) => s.ProcessSHandshake((SHandshake)p));
        Register(CHandshakeDone.TypeId_, static () => new CHandshakeDone(), static (s, p) => s.ProcessCHandshakeDone((CHandshakeDone)p));
    }

    private void Register(long typeId, Func<Protocol> factory, Action<HandshakeService, Protocol> process)
    {
        // Handshake handlers run synchronously on the receive loop: the codecs they install must be in
        // place before the next byte of the connection is parsed.
        AddFactoryHandle(typeId, new ProtocolFactoryHandle(factory, p =>
        {
            try
            {
                if (p.Sender!.IsHandshakeDone) throw new InvalidOperationException($"{p.GetType().Name} after the handshake finished");
                process(this, p);
            }
            catch (Exception e)
            {
                // A failed key exchange leaves the codecs undefined: the connection cannot go on.
                p.Sender!.Close($"handshake failed in {p.GetType().Name}: {e.Message}", e);
            }
            return new ValueTask<long>(0L);
        }, TransactionLevel.None, factory().GetType().FullName!));
    }

    private int[] SupportedEncrypt(bool serverSide) => Options.SupportedEncrypt
        ?? (serverSide ? (Options.RsaPriKeyFile != null ? [1, 2, 3] : [1, 2]) : (Options.RsaPubKey != null ? [1, 2, 3] : [1, 2]));

    private int[] SupportedCompress => Options.SupportedCompress ?? s_supportedCompress;

    // ---- server side ----

    protected internal override void OnSocketAccepted(AsyncSocket socket)
    {
        var hello = new SHandshake0();
        hello.Argument.EncryptType = Options.EncryptType;
        hello.Argument.SupportedEncrypt = SupportedEncrypt(serverSide: true);
        hello.Argument.CompressS2c = Options.CompressS2c;
        hello.Argument.CompressC2s = Options.CompressC2s;
        hello.Argument.SupportedCompress = SupportedCompress;
        socket.Send(hello);
    }

    private void ProcessCHandshake(CHandshake p)
    {
        var socket = p.Sender!;
        if (!socket.IsAccepted) throw new InvalidOperationException("CHandshake on a connection this side made");
        if (socket.HandshakeContext != null) throw new InvalidOperationException("second CHandshake");
        socket.HandshakeContext = s_exchanged;
        var arg = p.Argument;
        int encryptType = arg.EncryptType;
        HandshakeKeys? keys = null;
        byte[] responseParam = [];
        switch (encryptType)
        {
            case EncryptType.Disable:
                break;
            case EncryptType.Aes or EncryptType.AesNoSecureIp:
            {
                if (!SupportedEncrypt(serverSide: true).Contains(encryptType))
                    throw new CryptographicException($"encrypt type {encryptType} is not supported here");
                var x = DiffieHellman.CreatePrivateExponent();
                responseParam = DiffieHellman.PublicValue(x);
                var material = DiffieHellman.SharedMaterial(arg.EncryptParam, x);
                keys = HandshakeKeys.FromDhMaterial(encryptType, material, ServerAddressForServer(socket));
                break;
            }
            case EncryptType.RsaAes:
            {
                var rsa = _rsaPrivate.Value ?? throw new CryptographicException("encrypt type 3 needs RsaPriKeyFile");
                keys = HandshakeKeys.FromRsaSecret(rsa.Decrypt(arg.EncryptParam, RSAEncryptionPadding.Pkcs1));
                break;
            }
            default:
                throw new CryptographicException($"unknown encrypt type {encryptType}");
        }
        int s2c = ServerCompress(Options.CompressS2c, arg.CompressS2c);
        int c2s = ServerCompress(Options.CompressC2s, arg.CompressC2s);

        // Input first: the client's next message (CHandshakeDone) already uses the new codecs.
        socket.SetInputCodec(keys == null ? null : new AesCfbCipher(keys.C2sKey, keys.C2sIv, encrypt: false),
            c2s == CompressType.Mppc ? new MppcDecompressor() : null);
        var reply = new SHandshake();
        reply.Argument.EncryptParam = responseParam;
        reply.Argument.CompressS2c = s2c;
        reply.Argument.CompressC2s = c2s;
        reply.Argument.EncryptType = encryptType;
        socket.Send(reply); // plain: the client switches its input only after reading this
        socket.SetOutputCodec(s2c == CompressType.Mppc ? new MppcCompressor() : null,
            keys == null ? null : new AesCfbCipher(keys.S2cKey, keys.S2cIv, encrypt: true));
        socket.HandshakeEncryptType = encryptType;
        socket.HandshakeCompressS2c = s2c;
        socket.HandshakeCompressC2s = c2s;
    }

    // Zeze's rule: a configured compression is kept unless the client asks for another one we support;
    // with none configured the client's wish wins if we support it; anything unsupported becomes MPPC.
    private int ServerCompress(int configured, int hint)
    {
        bool supported = SupportedCompress.Contains(hint);
        if (configured != 0) return supported ? hint : CompressType.Mppc;
        return hint == 0 || supported ? hint : CompressType.Mppc;
    }

    private byte[] ServerAddressForServer(AsyncSocket socket)
    {
        if (!string.IsNullOrEmpty(Options.SecureIp)) return HandshakeKeys.AddressBytes(IPAddress.Parse(Options.SecureIp));
        return HandshakeKeys.AddressBytes(((IPEndPoint)socket.LocalEndPoint!).Address);
    }

    private void ProcessCHandshakeDone(CHandshakeDone p)
    {
        var socket = p.Sender!;
        if (!socket.IsAccepted) throw new InvalidOperationException("CHandshakeDone on a connection this side made");
        // A server that asks for encryption does not serve a client that declined it.
        if (Options.EncryptType != EncryptType.Disable && socket.HandshakeEncryptType == EncryptType.Disable)
        {
            socket.Close($"handshake: encryption {Options.EncryptType} is required but the client chose none");
            return;
        }
        NetLog.HandshakeDone(Logger, Name, socket.SessionId, socket.RemoteEndPoint?.ToString(), socket.HandshakeEncryptType, socket.HandshakeCompressS2c, socket.HandshakeCompressC2s);
        OnHandshakeDone(socket);
    }

    // ---- client side ----

    private sealed class ClientContext(int encryptType, BigInteger dhExponent, byte[]? rsaSecret, ITimer? timer)
    {
        public int EncryptType { get; } = encryptType;
        public BigInteger DhExponent { get; } = dhExponent;
        public byte[]? RsaSecret { get; } = rsaSecret;
        public ITimer? Timer { get; } = timer;
    }

    protected internal override void OnSocketConnected(AsyncSocket socket)
    {
        // Wait for SHandshake0; give up if the handshake does not finish in time.
        var timer = TimeProvider.CreateTimer(static s =>
        {
            var so = (AsyncSocket)s!;
            if (!so.IsHandshakeDone) so.Close("handshake timeout");
        }, socket, TimeSpan.FromMilliseconds(Options.HandshakeTimeoutMs), Timeout.InfiniteTimeSpan);
        socket.HandshakeContext = new ClientContext(-1, default, null, timer);
        _ = socket.Closed.ContinueWith(static (_, t) => ((ITimer)t!).Dispose(), timer, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void ProcessSHandshake0(SHandshake0 p)
    {
        var socket = p.Sender!;
        if (socket.IsAccepted) throw new InvalidOperationException("SHandshake0 on an accepted connection");
        var arg = p.Argument;
        if (socket.HandshakeContext is ClientContext { EncryptType: >= 0 }) throw new InvalidOperationException("second SHandshake0");
        var timer = (socket.HandshakeContext as ClientContext)?.Timer;
        if (arg.EncryptType == 0 && arg.CompressS2c == 0 && arg.CompressC2s == 0)
        {
            socket.Send(new CHandshakeDone());
            timer?.Dispose();
            NetLog.HandshakeDone(Logger, Name, socket.SessionId, socket.RemoteEndPoint?.ToString(), 0, 0, 0);
            OnHandshakeDone(socket);
            return;
        }
        int encryptType = arg.EncryptType;
        if (encryptType != 0 && !SupportedEncrypt(serverSide: false).Contains(encryptType))
            encryptType = EncryptType.AesNoSecureIp; // as Zeze's C# client: an unsupported recommendation becomes plain DH
        var request = new CHandshake();
        BigInteger x = default;
        byte[]? secret = null;
        switch (encryptType)
        {
            case EncryptType.Aes or EncryptType.AesNoSecureIp:
                x = DiffieHellman.CreatePrivateExponent();
                request.Argument.EncryptParam = DiffieHellman.PublicValue(x);
                break;
            case EncryptType.RsaAes:
                secret = RandomNumberGenerator.GetBytes(64);
                request.Argument.EncryptParam = _rsaPublic.Value!.Encrypt(secret, RSAEncryptionPadding.Pkcs1);
                break;
        }
        request.Argument.EncryptType = encryptType;
        request.Argument.CompressS2c = ClientCompress(arg.CompressS2c);
        request.Argument.CompressC2s = ClientCompress(arg.CompressC2s);
        socket.HandshakeContext = new ClientContext(encryptType, x, secret, timer);
        socket.Send(request);
    }

    private int ClientCompress(int recommended) =>
        recommended == 0 || SupportedCompress.Contains(recommended) ? recommended : CompressType.Mppc;

    private void ProcessSHandshake(SHandshake p)
    {
        var socket = p.Sender!;
        if (socket.HandshakeContext is not ClientContext { EncryptType: >= 0 } context)
        {
            socket.Close("handshake lost context");
            return;
        }
        socket.HandshakeContext = null;
        context.Timer?.Dispose();
        var arg = p.Argument;
        if (arg.EncryptType != context.EncryptType)
            throw new CryptographicException($"handshake: the server answered encrypt type {arg.EncryptType} to a request for {context.EncryptType}");
        HandshakeKeys? keys = context.EncryptType switch
        {
            EncryptType.Aes or EncryptType.AesNoSecureIp => HandshakeKeys.FromDhMaterial(context.EncryptType,
                DiffieHellman.SharedMaterial(arg.EncryptParam, context.DhExponent),
                HandshakeKeys.AddressBytes(((IPEndPoint)socket.RemoteEndPoint!).Address)),
            EncryptType.RsaAes => HandshakeKeys.FromRsaSecret(context.RsaSecret),
            _ => null,
        };
        socket.SetOutputCodec(arg.CompressC2s == CompressType.Mppc ? new MppcCompressor() : null,
            keys == null ? null : new AesCfbCipher(keys.C2sKey, keys.C2sIv, encrypt: true));
        socket.SetInputCodec(keys == null ? null : new AesCfbCipher(keys.S2cKey, keys.S2cIv, encrypt: false),
            arg.CompressS2c == CompressType.Mppc ? new MppcDecompressor() : null);
        socket.HandshakeEncryptType = context.EncryptType;
        socket.HandshakeCompressS2c = arg.CompressS2c;
        socket.HandshakeCompressC2s = arg.CompressC2s;
        socket.Send(new CHandshakeDone());
        NetLog.HandshakeDone(Logger, Name, socket.SessionId, socket.RemoteEndPoint?.ToString(), context.EncryptType, arg.CompressS2c, arg.CompressC2s);
        OnHandshakeDone(socket);
    }
}

/// <summary>Zeze's <c>HandshakeServer</c>: a <see cref="HandshakeService"/> (server side on accepted connections).</summary>
public class HandshakeServer(string name, ServiceOptions? options = null, ILoggerFactory? loggerFactory = null,
    IProcedureRunner? procedureRunner = null, TimeProvider? timeProvider = null)
    : HandshakeService(name, options, loggerFactory, procedureRunner, timeProvider);

/// <summary>Zeze's <c>HandshakeClient</c>: a <see cref="HandshakeService"/> (client side on connections it makes).</summary>
public class HandshakeClient(string name, ServiceOptions? options = null, ILoggerFactory? loggerFactory = null,
    IProcedureRunner? procedureRunner = null, TimeProvider? timeProvider = null)
    : HandshakeService(name, options, loggerFactory, procedureRunner, timeProvider);

/// <summary>Zeze's <c>HandshakeBoth</c>: a <see cref="HandshakeService"/> that both accepts and connects.</summary>
public class HandshakeBoth(string name, ServiceOptions? options = null, ILoggerFactory? loggerFactory = null,
    IProcedureRunner? procedureRunner = null, TimeProvider? timeProvider = null)
    : HandshakeService(name, options, loggerFactory, procedureRunner, timeProvider);
