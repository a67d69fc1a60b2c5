using Zeze.Serialize;
using Zeze.Transaction;

namespace Zeze.Net;

// Dispatch of received frames (B3): responses complete their pending request; requests and protocols are
// decoded and handed to their handler, through the procedure runner unless the level is None.
public partial class Service
{
    /// <summary>
    /// Handles one received frame. <paramref name="payload"/> is a view valid only during this call
    /// (decode before returning). Runs on the connection's receive loop.
    /// </summary>
    protected internal virtual void DispatchFrame(AsyncSocket socket, int moduleId, int protocolId, ByteBuffer payload)
    {
        if (!socket.IsHandshakeDone && moduleId != 0)
        {
            // Application messages only flow once the connection is ready; before that, only the
            // handshake (module 0) may arrive. A client that skips the handshake is not talking Zeze.
            socket.Close($"protocol (module {moduleId}, id {protocolId}) received before the handshake finished");
            return;
        }
        long typeId = Protocol.MakeTypeId(moduleId, protocolId);
        // Every family header is one byte (below 0x80) as Zeze writes it; -1 for an empty payload or a header
        // in a longer form than needed, which the general path reads.
        int header = payload.ReadIndex < payload.WriteIndex && payload.Bytes[payload.ReadIndex] < 0x80 ? payload.Bytes[payload.ReadIndex] : -1;
        bool request = header >= 0 && (header & FamilyClass.FamilyMask) != FamilyClass.Response;
        if (!request && header >= 0 && TryDispatchAnswer(socket, typeId, header, payload)) return;
        if (!TryGetFactoryHandle(typeId, out var factoryHandle))
        {
            DispatchUnknownProtocol(socket, moduleId, protocolId, payload);
            return;
        }
        if (!request && DispatchOtherResponse(socket, typeId, factoryHandle, payload)) return;
        var p = factoryHandle.Factory();
        p.Decode(payload);
        p.Sender = socket;
        DispatchProtocol(p, factoryHandle);
    }

    // A response to one of this service's waiting requests of the same type is decoded by that request: it
    // needs no factory. Anything else (a late or mismatched response, a truncated header) leaves the payload
    // untouched for the general path.
    private bool TryDispatchAnswer(AsyncSocket socket, long typeId, int header, ByteBuffer payload)
    {
        int start = payload.ReadIndex;
        payload.ReadIndex = start + 1;
        long resultCode = 0;
        if (((header & FamilyClass.BitResultCode) != 0 && !payload.TryReadLong(out resultCode))
            || !payload.TryReadLong(out long sessionId)
            || !Pending.TryTakeAnswered(sessionId, typeId, out var rpc))
        {
            payload.ReadIndex = start;
            return false;
        }
        DeliverResponse(socket, rpc, resultCode, payload);
        return true;
    }

    // The responses TryDispatchAnswer did not take (late ones, ones whose session is another type's, headers in
    // the long form), and whatever else has a header in the long form. False, with the payload untouched, when
    // the header turns out to be a request's or a protocol's.
    private bool DispatchOtherResponse(AsyncSocket socket, long typeId, ProtocolFactoryHandle factoryHandle, ByteBuffer payload)
    {
        int start = payload.ReadIndex;
        int header = payload.ReadUInt();
        if ((header & FamilyClass.FamilyMask) != FamilyClass.Response)
        {
            payload.ReadIndex = start;
            return false;
        }
        long resultCode = (header & FamilyClass.BitResultCode) != 0 ? payload.ReadLong() : 0;
        long sessionId = payload.ReadLong();
        if (Pending.TryRemove(sessionId, out var rpc))
        {
            if (rpc!.TypeId != typeId)
            {
                rpc.Complete(Zeze.ResultCode.ErrorRequestId, timedOut: false, this);
                socket.Close($"response of type {typeId} matches session {sessionId} of a {rpc.GetType().Name}");
                return true;
            }
            DeliverResponse(socket, rpc, resultCode, payload); // its header was in the long form
            return true;
        }
        payload.ReadIndex = start;
        // Decoding validates that the type is an rpc at all (a plain protocol with family 0 closes).
        var late = factoryHandle.Factory();
        late.Decode(payload);
        NetLog.LateResponse(Logger, Name, factoryHandle.Name, sessionId, socket.RemoteEndPoint?.ToString());
        return true;
    }

    // Decodes the result into the request it answers and completes it.
    private void DeliverResponse(AsyncSocket socket, RpcBase rpc, long resultCode, ByteBuffer payload)
    {
        try
        {
            rpc.DecodeResult(payload);
        }
        catch (Exception)
        {
            rpc.Complete(Zeze.ResultCode.Exception, timedOut: false, this);
            throw; // closes the connection: the peer sent something we cannot read
        }
        rpc.Sender = socket;
        rpc.Complete(resultCode, timedOut: false, this);
    }

    /// <summary>
    /// A frame whose type has no factory here. Default: close the connection (Zeze does the same); a
    /// gateway overrides this to forward.
    /// </summary>
    protected virtual void DispatchUnknownProtocol(AsyncSocket socket, int moduleId, int protocolId, ByteBuffer payload) =>
        socket.Close($"unknown protocol (module {moduleId}, id {protocolId}, {payload.Size} bytes)");

    /// <summary>Runs the handler of a decoded request or protocol.</summary>
    protected virtual void DispatchProtocol(Protocol p, ProtocolFactoryHandle factoryHandle)
    {
        if (factoryHandle.Handle == null)
        {
            NetLog.NoHandler(Logger, Name, factoryHandle.Name);
            return;
        }
        if (Options.DispatchToThreadPool && p.ModuleId != 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.Service.RunHandlerAsync(s.P, s.Handle), (Service: this, P: p, Handle: factoryHandle), preferLocal: false);
            return;
        }
        _ = RunHandlerAsync(p, factoryHandle);
    }

    // An async method even though most handlers complete at once: its builder restores the receive loop's
    // execution context afterwards, so an AsyncLocal a handler sets (a transaction, say) never leaks into the
    // frames that follow on the connection.
    private async ValueTask RunHandlerAsync(Protocol p, ProtocolFactoryHandle factoryHandle)
    {
        long resultCode;
        try
        {
            var runner = ProcedureRunner;
            var handle = factoryHandle.Handle!;
            var pending = runner == null || factoryHandle.Level == TransactionLevel.None
                ? handle(p)
                : runner.RunAsync(handle, p, factoryHandle.Name, factoryHandle.Level);
            resultCode = pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            resultCode = Zeze.ResultCode.CancelException;
        }
        catch (Exception e)
        {
            NetLog.HandlerFailed(Logger, Name, factoryHandle.Name, e);
            resultCode = Zeze.ResultCode.Exception;
        }
        if (resultCode == 0) return;
        // A request whose handler failed without answering gets the code as its response (B3), so the
        // caller learns at once instead of timing out.
        if (p is RpcBase { IsRequest: true } rpc) rpc.TrySendResultCode(resultCode);
        else NetLog.HandlerReturned(Logger, Name, factoryHandle.Name, resultCode);
    }

    /// <summary>Runs the response handler of a completed request (in a procedure if its level asks for one).</summary>
    internal void RunResponseHandle(RpcBase rpc) => _ = RunResponseHandleAsync(rpc);

    private async ValueTask RunResponseHandleAsync(RpcBase rpc)
    {
        try
        {
            var runner = ProcedureRunner;
            ValueTask<long> pending;
            if (runner != null && TryGetFactoryHandle(rpc.TypeId, out var fh) && fh.Level != TransactionLevel.None)
                pending = runner.RunAsync(static r => r.InvokeResponseHandle(), rpc, fh.Name + ":Response", fh.Level);
            else
                pending = rpc.InvokeResponseHandle();
            long rc = pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
            if (rc != 0) NetLog.HandlerReturned(Logger, Name, rpc.GetType().Name + " response", rc);
        }
        catch (Exception e)
        {
            NetLog.ResponseHandlerFailed(Logger, Name, rpc.GetType().Name, rpc.SessionId, e);
        }
    }

    internal void LogDuplicateResult(RpcBase rpc) => NetLog.DuplicateResult(Logger, Name, rpc.GetType().Name, rpc.SessionId);

    internal void LogTimeoutHandlerFailed(RpcBase rpc, Exception e) => NetLog.ResponseHandlerFailed(Logger, Name, rpc.GetType().Name, rpc.SessionId, e);
}
