using System.Net;
using System.Text.Json.Nodes;
using FakeKubeApiServer.Tests.Support;

namespace FakeKubeApiServer.Tests.Http;

public sealed class ConcurrencyTests : FakeServerTest
{
    [Fact]
    public async Task ConcurrentWriters_GetDistinctIncreasingResourceVersions_AndWatchSeesEveryWrite()
    {
        await Client.PostJsonAsync("/api/v1/namespaces/default/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "counter" } });
        await using var watch = await WatchStream.OpenAsync(Client, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={Server.Store.ResourceVersion}");

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                var patch = new JsonObject { ["data"] = new JsonObject { [$"w{w}"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } }.ToJsonString();
                var response = await Client.PatchJsonAsync("/api/v1/namespaces/default/configmaps/counter", "application/merge-patch+json", patch);
                Assert.Equal(HttpStatusCode.OK, response.Status);
            }
        }));
        await Task.WhenAll(writers);

        var versions = new List<long>();
        for (var i = 0; i < 100; i++)
        {
            var change = await watch.NextAsync();
            versions.Add(long.Parse(change!["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(versions.Order().Distinct(), versions);
        var final = await Client.GetJsonAsync("/api/v1/namespaces/default/configmaps/counter");
        Assert.All(Enumerable.Range(0, 4), w => Assert.Equal("24", final.Object["data"]![$"w{w}"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ConcurrentUpdates_FromTheSameVersion_OneWinsOthersConflict()
    {
        var created = await Client.PostJsonAsync("/api/v1/namespaces/default/configmaps", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "race" } });

        var attempts = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
        {
            var update = (JsonObject)created.Object.DeepClone();
            update["data"] = new JsonObject { ["winner"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            return Client.PutJsonAsync("/api/v1/namespaces/default/configmaps/race", update);
        }));

        Assert.Single(attempts, a => a.Status == HttpStatusCode.OK);
        Assert.Equal(4, attempts.Count(a => a.Status == HttpStatusCode.Conflict));
    }
}
