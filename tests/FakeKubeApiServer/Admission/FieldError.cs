namespace FakeKubeApiServer.Admission;

/// <summary>
/// One validation failure, as k8s.io/apimachinery/pkg/util/validation/field.Error renders it:
/// <c>field: Type: detail</c>, e.g. <c>data[.dockerconfigjson]: Required value</c>.
/// </summary>
/// <param name="Reason">The cause reason: FieldValueRequired, FieldValueInvalid, FieldValueForbidden, ...</param>
/// <param name="Field">The field path, e.g. <c>metadata.name</c> or <c>data[tls.crt]</c>.</param>
/// <param name="Message">The cause message, e.g. <c>Invalid value: "x": must be ...</c>.</param>
internal sealed record FieldError(string Reason, string Field, string Message)
{
    public static FieldError Required(string field, string detail = "") =>
        new("FieldValueRequired", field, Join("Required value", detail));

    public static FieldError Invalid(string field, string value, string detail) =>
        new("FieldValueInvalid", field, Join($"Invalid value: \"{value}\"", detail));

    public static FieldError Forbidden(string field, string detail) =>
        new("FieldValueForbidden", field, Join("Forbidden", detail));

    public static FieldError Duplicate(string field, string value) =>
        new("FieldValueDuplicate", field, $"Duplicate value: \"{value}\"");

    public static FieldError NotSupported(string field, string value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported", field,
            $"Unsupported value: \"{value}\": supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}");

    public static FieldError TooLong(string field, int max) =>
        new("FieldValueTooLong", field, $"Too long: must have at most {max} bytes");

    public override string ToString() => $"{Field}: {Message}";

    private static string Join(string type, string detail) => detail.Length == 0 ? type : $"{type}: {detail}";
}
