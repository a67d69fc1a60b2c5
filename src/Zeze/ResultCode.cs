namespace Zeze;

/// <summary>
/// Result codes of procedures, protocols and rpcs. 0 is success, negative values are the framework's
/// (the values are Zeze's and travel on the wire), positive values belong to application modules and are
/// conventionally built with <see cref="Module"/>.
/// </summary>
public static class ResultCode
{
    public const long Success = 0;
    public const long Exception = -1;
    public const long TooManyTry = -2;
    public const long NotImplement = -3;
    public const long Unknown = -4;
    public const long ErrorSavepoint = -5;
    public const long LogicError = -6;
    public const long RedoAndRelease = -7;
    public const long AbortException = -8;
    public const long ProviderNotExist = -9;
    public const long Timeout = -10;
    public const long CancelException = -11;
    public const long DuplicateRequest = -12;
    public const long ErrorRequestId = -13;
    public const long ErrorSendFail = -14;
    public const long RaftRetry = -15;
    public const long RaftApplied = -16;
    public const long RaftExpired = -17;
    public const long Closed = -18;
    public const long Busy = -19;
    public const long AuthFail = -20;

    /// <summary>
    /// Zeze for .NET only: the procedure committed in memory, but the database did not confirm that its
    /// <c>CheckpointWhenCommit</c> records are durable within the configured time. The records stay dirty and
    /// the checkpoint keeps retrying; the caller must not report the operation as durable.
    /// </summary>
    public const long NotDurable = -21;

    /// <summary>An application code: <c>moduleId &lt;&lt; 32 | code</c>, as in Zeze's <c>IModule.ErrorCode</c>.</summary>
    public static long Module(int moduleId, int code) => ((long)moduleId << 32) | (uint)code;

    /// <summary>The name of a framework code, or null for success and application codes.</summary>
    public static string? NameOf(long code) => code switch
    {
        Exception => nameof(Exception), TooManyTry => nameof(TooManyTry), NotImplement => nameof(NotImplement),
        Unknown => nameof(Unknown), ErrorSavepoint => nameof(ErrorSavepoint), LogicError => nameof(LogicError),
        RedoAndRelease => nameof(RedoAndRelease), AbortException => nameof(AbortException),
        ProviderNotExist => nameof(ProviderNotExist), Timeout => nameof(Timeout), CancelException => nameof(CancelException),
        DuplicateRequest => nameof(DuplicateRequest), ErrorRequestId => nameof(ErrorRequestId), ErrorSendFail => nameof(ErrorSendFail),
        RaftRetry => nameof(RaftRetry), RaftApplied => nameof(RaftApplied), RaftExpired => nameof(RaftExpired),
        Closed => nameof(Closed), Busy => nameof(Busy), AuthFail => nameof(AuthFail), NotDurable => nameof(NotDurable),
        _ => null,
    };
}
