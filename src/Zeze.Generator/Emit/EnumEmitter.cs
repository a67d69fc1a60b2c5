using Zeze.Generator.Model;

namespace Zeze.Generator.Emit
{
    /// <summary>Schema enums are named constants (no wire effect).</summary>
    public static class EnumEmitter
    {
        public static void Emit(CodeWriter w, EnumDef e)
        {
            w.Summary(e.Comment);
            string type = e.Type == "" ? "int" : e.Type;
            string value = e.Value.Trim();
            if (type == "long") value += "L";
            else if (type == "float") value += "f";
            w.Line($"public const {type} {e.Name} = {value};");
        }
    }
}
