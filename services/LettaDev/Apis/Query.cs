namespace LettaPlatform.LettaDev.Apis;

/// <summary>Array query parameters as Letta's SDKs send them: repeated <c>tags=a&amp;tags=b</c> or <c>tags[]=a</c>.</summary>
public static class Query
{
    public static List<string>? Many(HttpRequest request, string name)
    {
        var values = request.Query[name].Concat(request.Query[name + "[]"]).OfType<string>().Where(v => v.Length > 0).ToList();
        return values.Count == 0 ? null : values;
    }

    public static bool Flag(HttpRequest request, string name) =>
        bool.TryParse(request.Query[name].FirstOrDefault(), out var value) && value;
}
