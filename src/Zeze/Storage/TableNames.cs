namespace Zeze.Storage;

/// <summary>
/// Table names become column family names and SQL identifiers, so only plain identifiers pass: nothing to quote,
/// nothing a driver or a file system could read differently. Zeze's generated names (demo_Module1_Table1) fit.
/// </summary>
public static class TableNames
{
    /// <summary>Names starting with this (any case) are the backends' own tables.</summary>
    public const string ReservedPrefix = "_zeze";

    /// <summary>Throws an <see cref="ArgumentException"/> that says what a valid name looks like.</summary>
    public static void Validate(string name, int maxLength, string databaseName)
    {
        ArgumentNullException.ThrowIfNull(name);
        string? problem = Check(name, maxLength);
        if (problem is not null)
            throw new ArgumentException($"database '{databaseName}': table name '{name}' {problem}", nameof(name));
    }

    public static bool IsValid(string name, int maxLength) => Check(name, maxLength) is null;

    private static string? Check(string name, int maxLength)
    {
        if (name.Length == 0)
            return "is empty.";
        if (name.Length > maxLength)
            return $"is {name.Length} characters long; this database takes at most {maxLength}.";
        if (name.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase))
            return $"starts with '{ReservedPrefix}', which is reserved for the backend's own tables.";
        if (!(char.IsAsciiLetter(name[0]) || name[0] == '_'))
            return "must start with an ASCII letter or '_'.";
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
                return $"holds '{c}'; only ASCII letters, digits and '_' are allowed.";
        }
        return null;
    }
}
