spec = {
"published": "2024-04-26",
"entities": [
 ["李家超","PERSON"],["香港特區政府","ORG"],["上海市","GPE"],["龔正","PERSON"],["上海市","GPE"],["香港","GPE"],["滬港合作會議第六次會議","EVENT"],
 ["李家超","PERSON"],["龔正","PERSON"],["滬港合作會議第六次會議","EVENT"],
 ["李家超","PERSON"],["滬港合作會議","EVENT"],["上海市政府","ORG"],["香港","GPE"],["上海","GPE"],["香港","GPE"],["上海","GPE"],["上海","GPE"],
 ["香港","GPE"],["上海","GPE"],
],
"org_kinds": {"香港特區政府":"government","上海市政府":"government"},
"people": [["李家超","行政長官",""],["龔正","市長","上海市政府"]],
"figures": [
 ["15個",15,"個","exact",None,"滬港合作範疇數"],
 ["15個",15,"個","exact",None,"滬港合作範疇數"],
 ["20份",20,"份","exact",None,"兩地部門機構簽署的合作文件數"],
],
"events": [
 {"type":"signing","trigger":"簽署","arguments":[["party","香港特區政府"],["party","上海市政府"],["object","滬港合作會議第六次會議合作備忘錄"]]},
],
}
