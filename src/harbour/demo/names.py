"""Hong Kong names for demo people: surname and given names with their Cantonese romanisation."""

SURNAMES: list[tuple[str, str]] = [
    ("陳", "Chan"), ("李", "Lee"), ("張", "Cheung"), ("黃", "Wong"), ("何", "Ho"), ("林", "Lam"),
    ("梁", "Leung"), ("吳", "Ng"), ("劉", "Lau"), ("蔡", "Choi"), ("鄭", "Cheng"), ("楊", "Yeung"),
    ("周", "Chow"), ("郭", "Kwok"), ("馬", "Ma"), ("羅", "Law"), ("麥", "Mak"), ("謝", "Tse"),
    ("曾", "Tsang"), ("胡", "Wu"), ("葉", "Yip"), ("朱", "Chu"), ("鍾", "Chung"), ("許", "Hui"),
    ("潘", "Poon"), ("袁", "Yuen"), ("蕭", "Siu"), ("鄧", "Tang"), ("洪", "Hung"), ("余", "Yu"),
]

GIVEN_NAMES: list[tuple[str, str]] = [
    ("家明", "Ka Ming"), ("嘉欣", "Ka Yan"), ("志強", "Chi Keung"), ("詠詩", "Wing Sze"), ("偉文", "Wai Man"),
    ("美玲", "Mei Ling"), ("俊傑", "Chun Kit"), ("曉彤", "Hiu Tung"), ("國華", "Kwok Wah"), ("淑儀", "Suk Yee"),
    ("子軒", "Tsz Hin"), ("穎琳", "Wing Lam"), ("浩然", "Ho Yin"), ("凱琪", "Hoi Kei"), ("建華", "Kin Wah"),
    ("家豪", "Ka Ho"), ("雅婷", "Nga Ting"), ("達明", "Tat Ming"), ("麗華", "Lai Wah"), ("振邦", "Chun Bong"),
    ("佩珊", "Pui Shan"), ("文傑", "Man Kit"), ("寶儀", "Po Yee"), ("永康", "Wing Hong"), ("曉琳", "Hiu Lam"),
    ("樂怡", "Lok Yi"), ("子謙", "Tsz Him"), ("思敏", "Sze Man"), ("志偉", "Chi Wai"), ("綺雯", "Yee Man"),
    ("錦輝", "Kam Fai"), ("惠珍", "Wai Chun"), ("天佑", "Tin Yau"), ("慧儀", "Wai Yee"), ("啟明", "Kai Ming"),
]

ENGLISH_NAMES: list[str] = [
    "Alan", "Alice", "Andy", "Angela", "Ben", "Bonnie", "Calvin", "Carmen", "Daniel", "Doris", "Eric", "Emily",
    "Francis", "Fiona", "Gary", "Grace", "Henry", "Helen", "Ivan", "Iris", "Jason", "Jenny", "Kelvin", "Karen",
    "Leo", "Louisa", "Matthew", "Mandy", "Nelson", "Natalie", "Oscar", "Olivia", "Patrick", "Peggy", "Raymond",
    "Rachel", "Samuel", "Sharon", "Terence", "Tiffany", "Vincent", "Vivian", "Wilson", "Winnie", "Kenneth",
    "Queenie", "Edmond", "Yvonne",
]
