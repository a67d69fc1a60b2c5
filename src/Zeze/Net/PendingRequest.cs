namespace Zeze.Net;

/// <summary>
/// The bookkeeping of one waiting request in <see cref="RpcPending"/>: its key, its place in the timing wheel
/// and what its completion reports. Kept out of <see cref="RpcBase"/> so that an rpc object (which a server
/// allocates for every request it receives) does not carry the sender's state, and reused: the entry of an
/// answered request goes back to its service's free list, under the lock that took it out of the map.
/// </summary>
internal sealed class PendingRequest
{
    public RpcBase? Rpc;
    public long SessionId;
    public long TypeId;          // a response must be of the request's type
    public long SendTimestamp;   // for the rpc duration metric; 0 when nobody listens
    public PendingRequest? WheelNext; // also the free list's and the expired chain's link once out of the wheel
    public PendingRequest? WheelPrev;
    public int WheelSlot = -1;
    public int WheelRounds;
    public int AddedInRun;       // RpcPending's timer run (+1) before which this request was added
}
