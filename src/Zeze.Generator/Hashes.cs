namespace Zeze.Generator
{
    /// <summary>Zeze's persisted name hashes (wire-and-schema.md C4): never change them.</summary>
    public static class Hashes
    {
        public static long Hash64(string s)
        {
            unchecked
            {
                ulong h = 3074457345618258791UL;
                foreach (char c in s)
                    h = (h + c) * 3074457345618258799UL;
                return (long)h;
            }
        }

        public static int Hash32(string s)
        {
            unchecked
            {
                ulong h = (ulong)Hash64(s);
                return (int)((uint)h ^ (uint)(h >> 32));
            }
        }
    }
}
