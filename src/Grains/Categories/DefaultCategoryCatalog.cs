namespace GridGov.Realtime.Grains.Categories;

/// <summary>
/// The built-in catalogue, from DOMAIN.md §2 (classes) and §4 (limits). Cities replace it with their
/// own 立结案标准 in the same JSON shape. Provenance of the values:
/// <list type="bullet">
/// <item>Major classes: names [STD/CITY]; codes other than component 01 and event 01 follow DOMAIN.md's [INF] order.</item>
/// <item>Minor codes: event 0101 私搭乱建, 0102 暴露垃圾 and component 0101 上水井盖 are from city tables;
/// 0102 污水井盖, 0110 路灯, event 0104 道路不洁 and 0505 露天烧烤 are placeholders [INF].</item>
/// <item>Filing + dispatch: urgent ≤10 min, non-urgent ≤30 min (Taiyuan) [CITY]; split evenly between
/// the two steps [INF]. Non-urgent steps run on 工作时 [INF]; 重要 shares 一般's filing/dispatch [INF].</item>
/// <item>核查: 1 h in city and urban fringe (Taiyuan) [CITY]; the 2 h rural limit needs the grid's area
/// class and is left to the case workflow.</item>
/// <item>Handling limits [CITY], §4 table: 上水井盖 2 紧急工作时 / 4 工作时 (Yuncheng); 污水井盖 2 h (Taiyuan);
/// 路灯 1 工作日 (Taiyuan); 私搭乱建 4 工作时 to stop work; 暴露垃圾 1 工作日 (Jiyuan), its 4 工作时 variant
/// used as the urgent limit [INF]; 道路不洁 5 工作时 (Jiyuan); 露天烧烤 2 h (Taiyuan), on the continuous
/// clock because it happens in the evening [INF]. 一般 limits for the sewer cover copy the water cover [INF].</item>
/// </list>
/// </summary>
public static class DefaultCategoryCatalog
{
    public static CategoryCatalog Instance { get; } = CategoryCatalogJson.Parse(Json);

    public const string Json = """
    {
      "majorClasses": [
        { "kind": "Component", "code": "01", "name": "公用设施" },
        { "kind": "Component", "code": "02", "name": "道路交通" },
        { "kind": "Component", "code": "03", "name": "市容环境" },
        { "kind": "Component", "code": "04", "name": "园林绿化" },
        { "kind": "Component", "code": "05", "name": "房屋土地" },
        { "kind": "Component", "code": "06", "name": "其他设施" },
        { "kind": "Component", "code": "07", "name": "扩展部件" },
        { "kind": "Event", "code": "01", "name": "市容环境" },
        { "kind": "Event", "code": "02", "name": "宣传广告" },
        { "kind": "Event", "code": "03", "name": "施工管理" },
        { "kind": "Event", "code": "04", "name": "突发事件" },
        { "kind": "Event", "code": "05", "name": "街面秩序" },
        { "kind": "Event", "code": "06", "name": "扩展事件" }
      ],
      "stepDefaults": {
        "Urgent":    { "filing": { "minutes": 5,  "unit": "EmergencyHours" }, "dispatch": { "minutes": 5,  "unit": "EmergencyHours" }, "checking": { "amount": 1, "unit": "EmergencyHours" } },
        "Important": { "filing": { "minutes": 15, "unit": "WorkingHours" },   "dispatch": { "minutes": 15, "unit": "WorkingHours" },   "checking": { "amount": 1, "unit": "WorkingHours" } },
        "Normal":    { "filing": { "minutes": 15, "unit": "WorkingHours" },   "dispatch": { "minutes": 15, "unit": "WorkingHours" },   "checking": { "amount": 1, "unit": "WorkingHours" } }
      },
      "categories": [
        {
          "kind": "Component", "code": "0101", "name": "上水井盖",
          "filingConditions": ["井盖缺失、移位或破损存在安全隐患（紧急）", "井盖破损面积大于25平方厘米（一般）"],
          "limits": {
            "Urgent": { "handling": { "amount": 2, "unit": "EmergencyHours" } },
            "Normal": { "handling": { "amount": 4, "unit": "WorkingHours" } }
          }
        },
        {
          "kind": "Component", "code": "0102", "name": "污水井盖",
          "filingConditions": ["污水井盖缺失（紧急）", "井盖破损面积大于25平方厘米（一般）"],
          "limits": {
            "Urgent": { "handling": { "amount": 2, "unit": "EmergencyHours" } },
            "Normal": { "handling": { "amount": 4, "unit": "WorkingHours" } }
          }
        },
        {
          "kind": "Component", "code": "0110", "name": "路灯",
          "filingConditions": ["连续3盏及以上路灯不亮"],
          "limits": { "Normal": { "handling": { "amount": 1, "unit": "WorkingDays" } } }
        },
        {
          "kind": "Event", "code": "0101", "name": "私搭乱建",
          "filingConditions": ["正在搭建的违法建（构）筑物：4工作时内责令停工；处罚7工作日，拆除15–20工作日另行立案"],
          "limits": { "Normal": { "handling": { "amount": 4, "unit": "WorkingHours" } } }
        },
        {
          "kind": "Event", "code": "0102", "name": "暴露垃圾",
          "filingConditions": ["道路、广场等公共场所有暴露垃圾"],
          "limits": {
            "Urgent": { "handling": { "amount": 4, "unit": "WorkingHours" } },
            "Normal": { "handling": { "amount": 1, "unit": "WorkingDays" } }
          }
        },
        {
          "kind": "Event", "code": "0104", "name": "道路不洁",
          "filingConditions": ["道路有明显污物、积水或油渍，影响市容"],
          "limits": { "Normal": { "handling": { "amount": 5, "unit": "WorkingHours" } } }
        },
        {
          "kind": "Event", "code": "0505", "name": "露天烧烤",
          "filingConditions": ["在城市道路、广场等公共场所露天烧烤（1小时内到场，2小时内处置完毕）"],
          "limits": { "Normal": { "handling": { "amount": 2, "unit": "EmergencyHours" } } }
        }
      ]
    }
    """;
}
