using GridGov.Realtime.Grains.Assessment;

namespace GridGov.Realtime.Grains.Tests.Assessment;

public class CountScoresTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(100, 0)]
    [InlineData(101, 40)]
    [InlineData(300, 40)]
    [InlineData(301, 60)]
    [InlineData(500, 60)]
    [InlineData(501, 75)]
    [InlineData(1200, 75)]
    [InlineData(1201, 90)]
    [InlineData(2000, 90)]
    [InlineData(2001, 100)]
    public void Acceptances(int count, int score)
    {
        Assert.Equal(score, CountScores.Acceptances(count));
        Assert.Equal(score, CountScores.Dispatches(count));
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(50, 100)]
    [InlineData(51, 90)]
    [InlineData(100, 90)]
    [InlineData(101, 75)]
    [InlineData(200, 75)]
    [InlineData(201, 60)]
    [InlineData(500, 60)]
    [InlineData(501, 40)]
    [InlineData(1000, 40)]
    [InlineData(1001, 0)]
    public void DepartmentFiled(int count, int score) => Assert.Equal(score, CountScores.DepartmentFiled(count));

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 90)]
    [InlineData(2, 90)]
    [InlineData(3, 75)]
    [InlineData(4, 75)]
    [InlineData(5, 60)]
    [InlineData(6, 60)]
    [InlineData(7, 40)]
    [InlineData(8, 40)]
    [InlineData(9, 0)]
    public void RegionFiledClassOne(int count, int score) => Assert.Equal(score, CountScores.RegionFiled(count, RegionClass.ClassOne));

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 90)]
    [InlineData(3, 90)]
    [InlineData(4, 75)]
    [InlineData(5, 75)]
    [InlineData(6, 60)]
    [InlineData(7, 60)]
    [InlineData(8, 40)]
    [InlineData(9, 40)]
    [InlineData(10, 0)]
    public void RegionFiledClassTwo(int count, int score) => Assert.Equal(score, CountScores.RegionFiled(count, RegionClass.ClassTwo));

    [Fact]
    public void NegativeCountsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CountScores.Acceptances(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => CountScores.RegionFiled(-1, RegionClass.ClassTwo));
    }
}
