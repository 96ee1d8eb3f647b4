//! Relevance of the Vietnamese search over a fixture site, plus an `#[ignore]`d size and timing
//! report on a generated corpus (`SANGTAO_BENCH_PORTAL=/path/to/portal cargo test --release
//! --test search_relevance -- --ignored --nocapture`).

use proptest::prelude::*;
use sangtao::search::{
    build_index, query, query_filtered, Filters, QueryResult, SearchDoc, SearchOutput, SearchUnit,
};
use std::io::Write as _;
use std::sync::OnceLock;

fn unit(slug: &str, name: &str) -> SearchUnit {
    SearchUnit {
        slug: slug.into(),
        name: name.into(),
    }
}

fn nha_be() -> SearchUnit {
    unit(
        "phong-gddt-nha-be",
        "Phòng Giáo dục và Đào tạo huyện Nhà Bè",
    )
}
fn go_vap() -> SearchUnit {
    unit("phong-gddt-go-vap", "Phòng Giáo dục và Đào tạo quận Gò Vấp")
}
fn so() -> SearchUnit {
    unit("so-gddt", "Sở Giáo dục và Đào tạo")
}
fn ubnd_go_vap() -> SearchUnit {
    unit("ubnd-quan-go-vap", "Ủy ban nhân dân quận Gò Vấp")
}
fn thcs() -> SearchUnit {
    unit("thcs-nguyen-van-quy", "Trường THCS Nguyễn Văn Quỳ")
}
fn th_le_loi() -> SearchUnit {
    unit("th-le-loi", "Trường Tiểu học Lê Lợi")
}

#[allow(clippy::too_many_arguments)]
fn d(
    url: &str,
    kind: &str,
    title: &str,
    number: &str,
    summary: &str,
    body: &str,
    units: Vec<SearchUnit>,
    topics: &[&str],
    date: &str,
) -> SearchDoc {
    SearchDoc {
        url: url.into(),
        kind: kind.into(),
        title: title.into(),
        number: number.into(),
        summary: summary.into(),
        body_text: body.into(),
        units,
        topics: topics.iter().map(|s| s.to_string()).collect(),
        date: date.into(),
    }
}

const FILLER: &str = "Các đơn vị triển khai thực hiện nghiêm túc, báo cáo kết quả về Phòng trước ngày 30 hằng tháng.";

fn fixture() -> Vec<SearchDoc> {
    vec![
        d("/ke-hoach/2023/182-kh-gddt/", "plan",
          "Tổ chức thực hiện hoạt động khoa học, công nghệ và đổi mới sáng tạo năm 2023",
          "182/KH-GDĐT",
          "Kế hoạch tổ chức thực hiện hoạt động khoa học, công nghệ và đổi mới sáng tạo trong ngành giáo dục huyện Nhà Bè năm 2023.",
          "Căn cứ Kế hoạch số 403/KH-UBND ngày 10 tháng 02 năm 2023 của Ủy ban nhân dân huyện. Phòng Giáo dục và Đào tạo xây dựng kế hoạch đổi mới sáng tạo với các nội dung: tuyên truyền, phổ biến pháp luật về khoa học và công nghệ; bồi dưỡng cán bộ quản lý, giáo viên. Đẩy mạnh phong trào nghiên cứu khoa học trong học sinh.",
          vec![nha_be(), unit("", "Các cơ sở giáo dục")], &["Nghiên cứu khoa học", "Đổi mới sáng tạo"], "2023-02-14"),
        d("/ke-hoach/2022/403-kh-ubnd/", "plan",
          "Tổ chức thực hiện hoạt động khoa học công nghệ và đổi mới sáng tạo trên địa bàn quận Gò Vấp năm 2022",
          "403/KH-UBND",
          "Kế hoạch của Ủy ban nhân dân quận Gò Vấp về khoa học công nghệ và đổi mới sáng tạo năm 2022.",
          "Ủy ban nhân dân quận ban hành kế hoạch tổ chức thực hiện hoạt động khoa học công nghệ. Các phòng ban, phường phối hợp thực hiện.",
          vec![ubnd_go_vap()], &["Đổi mới sáng tạo"], "2022-02-10"),
        d("/ke-hoach/2022/27-kh-gddt/", "plan",
          "Thực hiện hoạt động khoa học công nghệ và đổi mới sáng tạo trong ngành giáo dục quận Gò Vấp năm 2022",
          "27/KH-GDĐT",
          "Thực hiện Kế hoạch 403/KH-UBND, Phòng Giáo dục và Đào tạo quận Gò Vấp xây dựng kế hoạch năm 2022.",
          "Thực hiện Kế hoạch 403/KH-UBND ngày 10 tháng 02 năm 2022 của Ủy ban nhân dân quận Gò Vấp, Phòng Giáo dục và Đào tạo quận Gò Vấp xây dựng Kế hoạch tổ chức thực hiện hoạt động khoa học công nghệ và đổi mới sáng tạo trong ngành giáo dục. Đẩy mạnh ứng dụng tiến bộ khoa học tại cơ sở giáo dục.",
          vec![go_vap()], &["Đổi mới sáng tạo", "Chuyển đổi số"], "2022-02-22"),
        d("/ke-hoach/2024/15-kh-sgddt/", "plan",
          "Phong trào thi đua Đổi mới sáng tạo trong dạy và học năm 2024",
          "15/KH-SGDĐT",
          "Sở Giáo dục và Đào tạo phát động phong trào thi đua đổi mới sáng tạo trong dạy và học.",
          "Phong trào thi đua nhằm khuyến khích giáo viên áp dụng phương pháp dạy học tích cực, lấy học sinh làm trung tâm. Xét khen thưởng cuối năm học.",
          vec![so()], &["Thi đua khen thưởng"], "2024-03-01"),
        d("/ke-hoach/2024/88-kh-gddt/", "plan",
          "Triển khai chương trình giáo dục STEM trong trường tiểu học",
          "88/KH-GDĐT",
          "Kế hoạch triển khai giáo dục STEM tại các trường tiểu học huyện Nhà Bè.",
          "Tổ chức tập huấn giáo viên về giáo dục STEM, xây dựng bài học STEM, tổ chức ngày hội STEM cấp huyện. Các trường tiểu học chuẩn bị phòng học bộ môn.",
          vec![nha_be()], &["STEM"], "2024-09-05"),
        d("/ke-hoach/2025/12-kh-gddt/", "plan",
          "Chuyển đổi số trong quản lý và dạy học năm học 2024-2025",
          "12/KH-GDĐT",
          "Kế hoạch chuyển đổi số ngành giáo dục huyện Nhà Bè.",
          "Ứng dụng công nghệ thông tin, xây dựng học liệu số, kho bài giảng điện tử, hồ sơ số. Căn cứ Kế hoạch 182/KH-GDĐT về đổi mới sáng tạo.",
          vec![nha_be()], &["Chuyển đổi số"], "2025-01-10"),
        d("/ke-hoach/2021/1234-kh-ubnd/", "plan",
          "Phát triển trường học xanh, sạch, đẹp, an toàn",
          "1234/KH-UBND",
          "Kế hoạch xây dựng trường học xanh.",
          "Trồng cây xanh trong khuôn viên trường, phân loại rác tại nguồn, tiết kiệm điện nước.",
          vec![ubnd_go_vap(), go_vap()], &["Trường học xanh"], "2021-04-20"),
        d("/ke-hoach/2023/95-kh-gddt/", "plan",
          "Tổ chức Hội thi giáo viên dạy giỏi cấp huyện",
          "95/KH-GDĐT",
          "Hội thi giáo viên dạy giỏi nhằm nâng cao chất lượng đội ngũ.",
          "Đội ngũ giáo viên tham gia hội thi. Ban giám khảo đánh giá tiết dạy. Đối tượng dự thi là giáo viên các trường.",
          vec![nha_be()], &["Thi đua khen thưởng"], "2023-10-02"),
        // solutions
        d("/giai-phap/2023/robot-cuu-hoa/", "solution",
          "Robot cứu hỏa điều khiển từ xa",
          "",
          "Mô hình robot cứu hỏa do học sinh thiết kế, điều khiển bằng điện thoại.",
          "Robot có thể phun nước dập lửa, tự tránh vật cản. Sản phẩm đạt giải Nhất cuộc thi sáng tạo thanh thiếu niên nhi đồng.",
          vec![thcs()], &["Robot", "STEM"], "2023-05-12"),
        d("/giai-phap/2022/thung-rac-thong-minh/", "solution",
          "Thùng rác thông minh phân loại rác tự động",
          "",
          "Thùng rác dùng cảm biến để phân loại rác hữu cơ và vô cơ.",
          "Sản phẩm sử dụng vi điều khiển và cảm biến tiệm cận, góp phần xây dựng trường học xanh.",
          vec![th_le_loi()], &["Trường học xanh", "Sáng kiến"], "2022-11-03"),
        d("/giai-phap/2024/ung-dung-ai-cham-bai/", "solution",
          "Ứng dụng trí tuệ nhân tạo hỗ trợ chấm bài tự luận",
          "",
          "Phần mềm dùng trí tuệ nhân tạo gợi ý điểm và nhận xét bài làm.",
          "Giáo viên tiết kiệm thời gian chấm bài; học sinh nhận phản hồi nhanh. Giải pháp được áp dụng tại nhiều trường.",
          vec![so()], &["Trí tuệ nhân tạo", "Chuyển đổi số"], "2024-06-18"),
        d("/giai-phap/2023/vuon-rau-thuy-canh/", "solution",
          "Vườn rau thủy canh trong trường học",
          "",
          "Mô hình trồng rau thủy canh giúp học sinh trải nghiệm.",
          "Học sinh chăm sóc vườn rau, đo độ pH của dung dịch dinh dưỡng và ghi nhật ký.",
          vec![th_le_loi()], &["Trường học xanh", "STEM"], "2023-03-08"),
        d("/giai-phap/2022/so-tay-dien-tu/", "solution",
          "Sổ tay điện tử theo dõi nề nếp học sinh",
          "",
          "Ứng dụng quản lý nề nếp trên điện thoại.",
          "Giáo viên chủ nhiệm cập nhật nề nếp hằng ngày; phụ huynh xem kết quả.",
          vec![thcs()], &["Chuyển đổi số"], "2022-09-09"),
        d("/giai-phap/2024/may-tuoi-cay-tu-dong/", "solution",
          "Máy tưới cây tự động dùng năng lượng mặt trời",
          "",
          "Thiết bị tưới cây tiết kiệm nước sử dụng pin năng lượng mặt trời.",
          "Cảm biến độ ẩm đất điều khiển máy bơm. Tiết kiệm năng lượng và nước tưới.",
          vec![nha_be()], &["Tiết kiệm năng lượng", "Trường học xanh"], "2024-04-22"),
        // news
        d("/tin-tuc/2023/robot-cuu-hoa-dat-giai/", "news",
          "Học sinh Nhà Bè đoạt giải với robot cứu hỏa",
          "",
          "Sản phẩm robot cứu hỏa của học sinh Trường THCS Nguyễn Văn Quỳ đoạt giải Nhất.",
          "Cuộc thi sáng tạo thanh thiếu niên nhi đồng năm 2023 đã trao giải cho các sản phẩm xuất sắc. Ban tổ chức đánh giá cao tính ứng dụng.",
          vec![thcs(), nha_be()], &["Robot"], "2023-06-01"),
        d("/tin-tuc/2023/ngay-hoi-stem/", "news",
          "Ngày hội STEM huyện Nhà Bè",
          "",
          "Hơn 500 học sinh tham gia ngày hội STEM.",
          "Các gian hàng trưng bày sản phẩm robot, mô hình năng lượng sạch. Học sinh lắp ráp robot và lập trình Scratch.",
          vec![nha_be()], &["STEM", "Robot"], "2023-11-20"),
        d("/tin-tuc/2024/duong-den-truong/", "news",
          "Con đường đến trường an toàn",
          "",
          "Phụ huynh và nhà trường phối hợp bảo đảm an toàn giao thông trên đường đến trường.",
          "Đường vào trường được lắp đèn, kẻ vạch. Học sinh được hướng dẫn đi bộ đúng làn đường.",
          vec![th_le_loi()], &["An toàn giao thông"], "2024-09-15"),
        d("/tin-tuc/2024/cay-duong/", "news",
          "Trồng hàng cây dương ven sông",
          "",
          "Học sinh trồng hàng cây dương chắn gió ven sông.",
          "Hàng cây dương được trồng dọc bờ sông để chắn gió. Học sinh chăm sóc cây mỗi tuần.",
          vec![thcs()], &["Trường học xanh"], "2024-03-12"),
        d("/tin-tuc/2024/tuyen-duong/", "news",
          "Tuyên dương giáo viên dạy giỏi",
          "",
          "Phòng tổ chức lễ tuyên dương giáo viên đạt giải dạy giỏi.",
          "Lễ tuyên dương được tổ chức trang trọng, biểu dương các thầy cô có thành tích xuất sắc.",
          vec![nha_be()], &["Thi đua khen thưởng"], "2024-11-20"),
        d("/tin-tuc/2023/tap-huan-ai/", "news",
          "Tập huấn ứng dụng trí tuệ nhân tạo cho giáo viên",
          "",
          "Giáo viên được tập huấn sử dụng công cụ trí tuệ nhân tạo trong soạn giảng.",
          "Buổi tập huấn giới thiệu các công cụ AI, lưu ý về đạo đức và bảo mật dữ liệu học sinh.",
          vec![so()], &["Trí tuệ nhân tạo"], "2023-08-15"),
        d("/tin-tuc/2022/dao-tao-giao-vien/", "news",
          "Đào tạo, bồi dưỡng giáo viên đáp ứng chương trình mới",
          "",
          "Sở Giáo dục và Đào tạo tổ chức đào tạo giáo viên cốt cán.",
          "Chương trình đào tạo gồm các mô-đun về phương pháp dạy học, kiểm tra đánh giá.",
          vec![so()], &["Bồi dưỡng"], "2022-07-07"),
        d("/tin-tuc/2024/doi-moi-sang-tao-tai-go-vap/", "news",
          "Lan tỏa phong trào đổi mới sáng tạo tại Gò Vấp",
          "",
          "Các trường quận Gò Vấp triển khai nhiều mô hình đổi mới sáng tạo.",
          "Theo Kế hoạch 27/KH-GDĐT, các trường đã có nhiều sáng kiến. Phong trào đổi mới sáng tạo lan tỏa rộng.",
          vec![go_vap()], &["Đổi mới sáng tạo"], "2024-05-05"),
        d("/tin-tuc/2023/sang-kien-kinh-nghiem/", "news",
          "Hội đồng xét sáng kiến kinh nghiệm năm học 2022-2023",
          "",
          "Hội đồng khoa học xét công nhận sáng kiến cấp huyện.",
          "Có 120 sáng kiến được công nhận. Nhiều sáng kiến có khả năng nhân rộng.",
          vec![nha_be()], &["Sáng kiến"], "2023-07-30"),
        d("/tin-tuc/2025/khoi-nghiep/", "news",
          "Học sinh với ý tưởng khởi nghiệp",
          "",
          "Cuộc thi ý tưởng khởi nghiệp dành cho học sinh trung học.",
          "Nhiều ý tưởng khởi nghiệp gắn với nông nghiệp sạch và du lịch địa phương.",
          vec![so()], &["Khởi nghiệp"], "2025-03-03"),
        d("/tin-tuc/2024/scratch/", "news",
          "Câu lạc bộ lập trình Scratch cho học sinh tiểu học",
          "",
          "Học sinh tiểu học làm quen với lập trình qua Scratch.",
          "Câu lạc bộ sinh hoạt hằng tuần, học sinh tự làm trò chơi và hoạt hình.",
          vec![th_le_loi()], &["Lập trình Scratch", "Câu lạc bộ sáng tạo"], "2024-10-10"),
        d("/tin-tuc/2022/sang-tao-tre/", "news",
          "Sáng nay khai mạc hội trại, tạo sân chơi cho thiếu nhi",
          "",
          "Hội trại hè khai mạc sáng nay.",
          "Sáng nay, hội trại khai mạc tại công viên. Ban tổ chức tạo nhiều trò chơi dân gian cho thiếu nhi.",
          vec![go_vap()], &["Hoạt động hè"], "2022-06-01"),
        d("/tin-tuc/2025/chuyen-doi-so-nha-be/", "news",
          "Nhà Bè đẩy mạnh chuyển đổi số trong trường học",
          "",
          "Các trường học huyện Nhà Bè triển khai sổ điểm điện tử, học bạ số.",
          "Thực hiện Kế hoạch 12/KH-GDĐT, các trường triển khai học bạ số và thanh toán không dùng tiền mặt.",
          vec![nha_be()], &["Chuyển đổi số"], "2025-02-18"),
        d("/tin-tuc/2023/nang-luong-sach/", "news",
          "Học sinh tìm hiểu năng lượng sạch",
          "",
          "Buổi ngoại khóa về năng lượng mặt trời và năng lượng gió.",
          "Học sinh lắp ráp mô hình pin mặt trời, tìm hiểu cách tiết kiệm năng lượng.",
          vec![thcs()], &["Tiết kiệm năng lượng"], "2023-12-01"),
        d("/tin-tuc/2021/trien-khai-1234/", "news",
          "Triển khai Kế hoạch 1234/KH-UBND về trường học xanh",
          "",
          "Các trường triển khai trồng cây xanh.",
          "Thực hiện Kế hoạch 1234/KH-UBND, các trường trồng thêm cây xanh và lắp thùng rác phân loại.",
          vec![go_vap()], &["Trường học xanh"], "2021-05-10"),
        d("/tin-tuc/2024/hoi-thi-giao-vien/", "news",
          "Kết quả Hội thi giáo viên dạy giỏi cấp huyện",
          "",
          "Hội thi giáo viên dạy giỏi cấp huyện năm học 2023-2024 đã kết thúc.",
          "Theo Kế hoạch 95/KH-GDĐT, 45 giáo viên đạt danh hiệu giáo viên dạy giỏi.",
          vec![nha_be()], &["Thi đua khen thưởng"], "2024-01-15"),
        d("/tin-tuc/2024/thu-vien-so/", "news",
          "Thư viện số phục vụ học sinh",
          "",
          "Thư viện số với hàng nghìn đầu sách điện tử.",
          "Học sinh mượn sách điện tử qua ứng dụng. Thư viện mở cửa cả ngày thứ bảy.",
          vec![th_le_loi()], &["Chuyển đổi số"], "2024-04-04"),
        d("/tin-tuc/2023/ve-sinh-truong-lop/", "news",
          "Tổng vệ sinh trường lớp chuẩn bị năm học mới",
          "",
          "Nhà trường tổng vệ sinh trước ngày tựu trường.",
          FILLER,
          vec![thcs()], &[], "2023-08-25"),
        d("/tin-tuc/2024/dao-duc-nha-giao/", "news",
          "Bồi dưỡng đạo đức nhà giáo",
          "",
          "Chuyên đề về đạo đức nghề nghiệp của nhà giáo.",
          "Lãnh đạo Phòng chỉ đạo các trường tổ chức chuyên đề. Giáo viên thảo luận tình huống sư phạm.",
          vec![nha_be()], &["Bồi dưỡng"], "2024-08-08"),
        d("/tin-tuc/2025/robotics/", "news",
          "Đội tuyển robotics tham dự giải quốc gia",
          "",
          "Đội tuyển robotics của thành phố lên đường tham dự giải.",
          "Các em đã luyện tập nhiều tháng với bộ kit robotics.",
          vec![so()], &["Robot"], "2025-04-01"),
        d("/tin-tuc/2022/hop-phu-huynh/", "news",
          "Họp phụ huynh đầu năm học",
          "",
          "Nhà trường tổ chức họp phụ huynh học sinh.",
          FILLER,
          vec![th_le_loi()], &[], "2022-09-20"),
        d("/tin-tuc/2023/doi-tuyen-hsg/", "news",
          "Đội tuyển học sinh giỏi lớp 9",
          "",
          "Thành lập đội tuyển học sinh giỏi lớp 9.",
          "Đội tuyển được bồi dưỡng các môn Toán, Ngữ văn, Tiếng Anh.",
          vec![thcs()], &["Bồi dưỡng"], "2023-09-09"),
        // pages
        d("/gioi-thieu/", "page",
          "Giới thiệu cổng thông tin đổi mới sáng tạo",
          "",
          "Cổng thông tin giới thiệu các kế hoạch, giải pháp và tin tức về đổi mới sáng tạo trong giáo dục.",
          "Cổng do Phòng Giáo dục và Đào tạo huyện Nhà Bè quản lý.",
          vec![], &[], ""),
        d("/lien-he/", "page",
          "Liên hệ",
          "",
          "Thông tin liên hệ.",
          "Địa chỉ: 123 đường Nguyễn Bình, huyện Nhà Bè. Điện thoại: 028 1234 5678.",
          vec![], &[], ""),
        d("/tin-tuc/2024/tin-nhap/", "news",
          "Thông báo lịch nghỉ Tết",
          "",
          "Lịch nghỉ Tết Nguyên đán.",
          "Học sinh nghỉ Tết từ ngày 25 tháng Chạp.",
          vec![so()], &[], "2024-01-20"),
        d("/tin-tuc/2023/dao-tao-tu-xa/", "news",
          "Học trực tuyến: đào tạo từ xa cho giáo viên vùng khó",
          "",
          "Chương trình đào tạo từ xa.",
          "Giáo viên vùng khó được đào tạo qua nền tảng trực tuyến.",
          vec![so()], &["Bồi dưỡng"], "2023-04-04"),
    ]
}

fn index() -> &'static [SearchOutput] {
    static FILES: OnceLock<Vec<SearchOutput>> = OnceLock::new();
    FILES.get_or_init(|| build_index(&fixture()))
}

fn q(s: &str) -> QueryResult {
    query(index(), s)
}

/// The first results, in order, are exactly `top`.
#[track_caller]
fn top(s: &str, top: &[&str]) {
    let r = q(s);
    assert!(r.urls.len() >= top.len(), "{s:?}: {:?}", r.urls);
    assert_eq!(&r.urls[..top.len()], top, "{s:?}: all results {:?}", r.urls);
}

/// The first result is `first`, and `all` are among the results.
#[track_caller]
fn first_and(s: &str, first: &str, all: &[&str]) {
    let r = q(s);
    assert_eq!(
        r.urls.first().map(String::as_str),
        Some(first),
        "{s:?}: {:?}",
        r.urls
    );
    for u in all {
        assert!(
            r.urls.iter().any(|x| x == u),
            "{s:?}: {u} missing from {:?}",
            r.urls
        );
    }
}

#[test]
fn dao_tao_with_and_without_marks() {
    let with = q("đào tạo ");
    let without = q("dao tao ");
    assert!(!with.urls.is_empty());
    let both = [
        "/tin-tuc/2022/dao-tao-giao-vien/",
        "/tin-tuc/2023/dao-tao-tu-xa/",
    ];
    assert!(both.contains(&with.urls[0].as_str()) && both.contains(&with.urls[1].as_str()));
    assert_eq!(without.urls[..2], with.urls[..2]);
    // every doc naming "Đào tạo" in a unit is found without marks (Pagefind misses these)
    assert!(without
        .urls
        .iter()
        .any(|u| u == "/ke-hoach/2024/88-kh-gddt/"));
    assert_eq!(with.urls.len(), without.urls.len());
}

#[test]
fn doi_moi_sang_tao() {
    for s in [
        "đổi mới sáng tạo",
        "doi moi sang tao",
        "Đổi Mới Sáng Tạo",
        "DOI MOI SANG TAO",
    ] {
        let r = q(s);
        assert!(
            r.urls[..3].iter().all(|u| [
                "/ke-hoach/2024/15-kh-sgddt/",
                "/tin-tuc/2024/doi-moi-sang-tao-tai-go-vap/",
                "/ke-hoach/2023/182-kh-gddt/",
                "/ke-hoach/2022/403-kh-ubnd/",
                "/ke-hoach/2022/27-kh-gddt/",
                "/gioi-thieu/",
            ]
            .contains(&u.as_str())),
            "{s:?}: {:?}",
            r.urls
        );
    }
    // the scattered "sáng ... tạo" news is found but ranks after every real phrase hit
    // (its title has "Sáng nay ... tạo"; the robot's body has "cuộc thi sáng tạo")
    for s in ["sáng tạo", "sang tao"] {
        let r = q(s);
        let pos = |u: &str| r.urls.iter().position(|x| x == u).unwrap();
        assert!(
            pos("/giai-phap/2023/robot-cuu-hoa/") < pos("/tin-tuc/2022/sang-tao-tre/"),
            "{:?}",
            r.urls
        );
        assert!(pos("/tin-tuc/2024/scratch/") < pos("/tin-tuc/2022/sang-tao-tre/"));
    }
}

#[test]
fn quoted_phrases() {
    let r = q("\"sáng tạo\"");
    assert!(!r.urls.iter().any(|u| u == "/tin-tuc/2022/sang-tao-tre/"));
    assert!(q("sáng tạo")
        .urls
        .iter()
        .any(|u| u == "/tin-tuc/2022/sang-tao-tre/"));
    top(
        "\"robot cứu hỏa\"",
        &[
            "/giai-phap/2023/robot-cuu-hoa/",
            "/tin-tuc/2023/robot-cuu-hoa-dat-giai/",
        ],
    );
    assert_eq!(q("\"robot cứu hỏa\"").urls.len(), 2);
    assert_eq!(q("“trí tuệ nhân tạo”").urls.len(), 2);
    let r = q("\"hỏa cứu\"");
    assert!(r.urls.is_empty());
    assert_eq!(r.unmatched_words, vec!["\"hỏa cứu\""]);
}

#[test]
fn document_numbers() {
    top(
        "182/KH-GDĐT",
        &["/ke-hoach/2023/182-kh-gddt/", "/ke-hoach/2025/12-kh-gddt/"],
    );
    top("182/kh-gddt", &["/ke-hoach/2023/182-kh-gddt/"]);
    top("182/KH-GDDT", &["/ke-hoach/2023/182-kh-gddt/"]);
    first_and(
        "403/KH-UBND",
        "/ke-hoach/2022/403-kh-ubnd/",
        &["/ke-hoach/2022/27-kh-gddt/", "/ke-hoach/2023/182-kh-gddt/"],
    );
    top("403/KH- UBND", &["/ke-hoach/2022/403-kh-ubnd/"]);
    top(
        "1234/KH-UBND",
        &[
            "/ke-hoach/2021/1234-kh-ubnd/",
            "/tin-tuc/2021/trien-khai-1234/",
        ],
    );
    top(
        "27/KH-GDĐT",
        &[
            "/ke-hoach/2022/27-kh-gddt/",
            "/tin-tuc/2024/doi-moi-sang-tao-tai-go-vap/",
        ],
    );
    assert_eq!(q("27/KH-GDĐT").urls.len(), 2);
    top(
        "12/KH-GDĐT",
        &[
            "/ke-hoach/2025/12-kh-gddt/",
            "/tin-tuc/2025/chuyen-doi-so-nha-be/",
        ],
    );
    top(
        "hội thi 95/KH-GDĐT",
        &[
            "/ke-hoach/2023/95-kh-gddt/",
            "/tin-tuc/2024/hoi-thi-giao-vien/",
        ],
    );
    top("15/KH-SGDĐT", &["/ke-hoach/2024/15-kh-sgddt/"]);
}

#[test]
fn unit_names() {
    let r = q("nha be");
    assert!(r.urls.len() >= 10);
    assert!(
        r.urls[..3].contains(&"/tin-tuc/2023/ngay-hoi-stem/".to_string()),
        "{:?}",
        r.urls
    );
    assert_eq!(q("Nhà Bè").urls, r.urls);
    first_and(
        "Gò Vấp",
        "/ke-hoach/2022/27-kh-gddt/",
        &["/tin-tuc/2022/sang-tao-tre/"],
    );
    first_and(
        "go vap",
        "/ke-hoach/2022/27-kh-gddt/",
        &["/ke-hoach/2021/1234-kh-ubnd/"],
    );
    let r = q("Lê Lợi");
    assert_eq!(r.urls.len(), 6);
    assert!(
        r.urls[..2].iter().all(|u| u.starts_with("/giai-phap/")),
        "{:?}",
        r.urls
    );
    first_and(
        "nguyen van quy",
        "/tin-tuc/2023/robot-cuu-hoa-dat-giai/",
        &["/tin-tuc/2023/doi-tuyen-hsg/"],
    );
    let r = q("ủy ban nhân dân quận gò vấp");
    assert_eq!(r.urls[0], "/ke-hoach/2022/403-kh-ubnd/");
}

#[test]
fn robot_and_prefixes() {
    first_and(
        "robot",
        "/giai-phap/2023/robot-cuu-hoa/",
        &[
            "/tin-tuc/2023/robot-cuu-hoa-dat-giai/",
            "/tin-tuc/2023/ngay-hoi-stem/",
        ],
    );
    top(
        "robot cứu hỏa",
        &[
            "/giai-phap/2023/robot-cuu-hoa/",
            "/tin-tuc/2023/robot-cuu-hoa-dat-giai/",
        ],
    );
    top(
        "robot cuu hoa",
        &[
            "/giai-phap/2023/robot-cuu-hoa/",
            "/tin-tuc/2023/robot-cuu-hoa-dat-giai/",
        ],
    );
    // while typing, "robo" reaches "robot" and "robotics"
    let r = q("robo");
    assert!(r.urls.contains(&"/tin-tuc/2025/robotics/".to_string()));
    assert!(r
        .urls
        .contains(&"/giai-phap/2023/robot-cuu-hoa/".to_string()));
    assert!(q("robotic").urls == vec!["/tin-tuc/2025/robotics/"]);
    assert!(q("robo ").urls.is_empty());
    top(
        "robot cuu ho",
        &[
            "/giai-phap/2023/robot-cuu-hoa/",
            "/tin-tuc/2023/robot-cuu-hoa-dat-giai/",
        ],
    );
    top("thủy ca", &["/giai-phap/2023/vuon-rau-thuy-canh/"]);
    top("scra", &["/tin-tuc/2024/scratch/"]);
}

#[test]
fn exact_tone_marks_rank_first() {
    // "đường" prefers "đường" over "dương"; "dương" the other way; "duong" finds both
    let r = q("đường ");
    assert_eq!(r.urls[0], "/tin-tuc/2024/duong-den-truong/");
    assert!(!r.urls[..1].contains(&"/tin-tuc/2024/cay-duong/".to_string()));
    let r = q("cây dương ");
    assert_eq!(r.urls[0], "/tin-tuc/2024/cay-duong/");
    let pos = |r: &QueryResult, u: &str| r.urls.iter().position(|x| x == u);
    let r = q("dương ");
    let road = pos(&r, "/tin-tuc/2024/duong-den-truong/").unwrap();
    assert!(pos(&r, "/tin-tuc/2024/cay-duong/").unwrap() < road);
    assert!(pos(&r, "/tin-tuc/2024/tuyen-duong/").unwrap() < road);
    let r = q("duong ");
    for u in [
        "/tin-tuc/2024/duong-den-truong/",
        "/tin-tuc/2024/cay-duong/",
        "/tin-tuc/2024/tuyen-duong/",
    ] {
        assert!(pos(&r, u).is_some(), "{u}");
    }
    let r = q("tuyên dương");
    assert_eq!(r.urls[0], "/tin-tuc/2024/tuyen-duong/");
    // "đạo" (đạo đức) over "đào" (đào tạo)
    let r = q("đạo ");
    assert_eq!(r.urls[0], "/tin-tuc/2024/dao-duc-nha-giao/");
    let r = q("đào ");
    assert_ne!(r.urls[0], "/tin-tuc/2024/dao-duc-nha-giao/");
}

#[test]
fn title_and_number_outweigh_body() {
    top("thư viện số", &["/tin-tuc/2024/thu-vien-so/"]);
    top(
        "STEM",
        &["/ke-hoach/2024/88-kh-gddt/", "/tin-tuc/2023/ngay-hoi-stem/"],
    );
    top("stem tiểu học", &["/ke-hoach/2024/88-kh-gddt/"]);
    top(
        "trí tuệ nhân tạo",
        &[
            "/giai-phap/2024/ung-dung-ai-cham-bai/",
            "/tin-tuc/2023/tap-huan-ai/",
        ],
    );
    top(
        "tri tue nhan tao",
        &[
            "/giai-phap/2024/ung-dung-ai-cham-bai/",
            "/tin-tuc/2023/tap-huan-ai/",
        ],
    );
    top("trường học xanh", &["/ke-hoach/2021/1234-kh-ubnd/"]);
    top(
        "thùng rác thông minh",
        &["/giai-phap/2022/thung-rac-thong-minh/"],
    );
    top(
        "chuyển đổi số Nhà Bè",
        &[
            "/tin-tuc/2025/chuyen-doi-so-nha-be/",
            "/ke-hoach/2025/12-kh-gddt/",
        ],
    );
    let r = q("giáo viên dạy giỏi");
    let mut two = r.urls[..2].to_vec();
    two.sort();
    assert_eq!(
        two,
        [
            "/ke-hoach/2023/95-kh-gddt/",
            "/tin-tuc/2024/hoi-thi-giao-vien/"
        ]
    );
    top("khởi nghiệp", &["/tin-tuc/2025/khoi-nghiep/"]);
    top(
        "năng lượng mặt trời",
        &["/giai-phap/2024/may-tuoi-cay-tu-dong/"],
    );
    top(
        "sáng kiến kinh nghiệm",
        &["/tin-tuc/2023/sang-kien-kinh-nghiem/"],
    );
    top("liên hệ", &["/lien-he/"]);
    top("đào tạo từ xa", &["/tin-tuc/2023/dao-tao-tu-xa/"]);
}

#[test]
fn unmatched_words() {
    let r = q("robot xylophonezz ");
    assert!(r.urls.is_empty());
    assert_eq!(r.unmatched_words, vec!["xylophonezz"]);
    let r = q("Qwxyz đổi mới Zzkw ");
    assert_eq!(r.unmatched_words, vec!["Qwxyz", "Zzkw"]);
    // each word matches, but no entry has both: nothing, and nothing named
    let r = q("robot khởi nghiệp ");
    assert!(r.urls.is_empty() && r.unmatched_words.is_empty());
    let r = q("");
    assert!(r.urls.is_empty() && r.unmatched_words.is_empty());
    let r = q("  ,.;  ");
    assert!(r.urls.is_empty());
}

#[test]
fn facets_combine_with_the_query() {
    let f =
        |kind: Option<&str>, year: Option<&str>, unit: Option<&str>, topic: Option<&str>| Filters {
            kind: kind.map(Into::into),
            year: year.map(Into::into),
            unit: unit.map(Into::into),
            topic: topic.map(Into::into),
        };
    let r = query_filtered(index(), "robot", &f(Some("news"), None, None, None));
    assert_eq!(r.urls[0], "/tin-tuc/2023/robot-cuu-hoa-dat-giai/");
    assert!(r.urls.iter().all(|u| u.starts_with("/tin-tuc/")));
    let r = query_filtered(
        index(),
        "đổi mới sáng tạo",
        &f(None, Some("2022"), None, None),
    );
    assert!(r.urls.iter().all(|u| u.contains("/2022/")), "{:?}", r.urls);
    assert!(r.urls[..2].contains(&"/ke-hoach/2022/27-kh-gddt/".to_string()));
    assert_eq!(r.urls.len(), 2, "{:?}", r.urls);
    let r = query_filtered(
        index(),
        "",
        &f(
            None,
            None,
            Some("phong-gddt-go-vap"),
            Some("truong-hoc-xanh"),
        ),
    );
    assert_eq!(
        r.urls,
        vec![
            "/ke-hoach/2021/1234-kh-ubnd/",
            "/tin-tuc/2021/trien-khai-1234/"
        ]
    );
    let r = query_filtered(
        index(),
        "học sinh",
        &f(Some("solution"), Some("2023"), None, Some("stem")),
    );
    assert_eq!(r.urls.len(), 2);
}

#[test]
fn nfd_queries_match() {
    use unicode_normalization::UnicodeNormalization;
    let nfd: String = "Đổi mới sáng tạo Gò Vấp".nfd().collect();
    assert_eq!(q(&nfd).urls, q("Đổi mới sáng tạo Gò Vấp").urls);
    assert_eq!(
        q(&nfd).urls[0],
        "/tin-tuc/2024/doi-moi-sang-tao-tai-go-vap/"
    );
}

#[test]
fn few_small_files_per_query() {
    let r = q("dao tao");
    assert!(r.shards_fetched.len() < 40, "{:?}", r.shards_fetched);
    assert_eq!(r.shards_fetched[0], "search/index.json");
    assert!(build_index(&fixture()) == index());
}

proptest! {
    #[test]
    fn never_panics(s in "\\PC*", t in "[0-9/ a-zA-Zđ\\-\"“”ĐẠạ̣́]{0,40}") {
        let docs = vec![SearchDoc { url: "/x/".into(), kind: "news".into(), title: s.clone(), body_text: t.clone(), ..Default::default() }];
        let files = build_index(&docs);
        let _ = query(&files, &s);
        let _ = query(&files, &t);
        let _ = query(index(), &s);
        let _ = query(index(), &t);
    }
}

// ---- size and timing report ------------------------------------------------------------------

fn gz(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(bytes).unwrap();
    e.finish().unwrap().len()
}

fn plain_text(md: &str) -> (String, String) {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut text = String::new();
    let mut first_para = String::new();
    let mut in_para = false;
    let mut paras = 0;
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => {
                text.push_str(&t);
                if in_para && paras == 1 {
                    first_para.push_str(&t);
                }
            }
            Event::Start(Tag::Paragraph) => {
                in_para = true;
                paras += 1;
            }
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Heading(_))
            | Event::End(TagEnd::Item) => {
                in_para = false;
                text.push('\n');
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    (text, first_para)
}

/// Reads a portal generated by ../shared/bench/gen_corpus.py into SearchDocs.
fn load_portal(root: &std::path::Path) -> Vec<SearchDoc> {
    let mut units = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(root.join("content/units")).unwrap() {
        let p = e.unwrap().path();
        let v: toml::Value = toml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let slug = p.file_stem().unwrap().to_string_lossy().to_string();
        units.insert(slug, v["name"].as_str().unwrap().to_string());
    }
    let mut files = Vec::new();
    for (dir, kind, url) in [
        ("plans", "plan", "ke-hoach"),
        ("solutions", "solution", "giai-phap"),
        ("news", "news", "tin-tuc"),
    ] {
        let base = root.join("content").join(dir);
        let mut stack = vec![base.clone()];
        while let Some(p) = stack.pop() {
            for e in std::fs::read_dir(&p).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "md") {
                    let rel = p.strip_prefix(&base).unwrap().with_extension("");
                    files.push((
                        p.clone(),
                        kind,
                        format!("/{url}/{}/", rel.to_string_lossy()),
                    ));
                }
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|(p, kind, url)| {
            let src = std::fs::read_to_string(&p).unwrap();
            let rest = src.strip_prefix("+++\n").unwrap();
            let end = rest.find("\n+++\n").unwrap();
            let fm: toml::Value = toml::from_str(&rest[..end]).unwrap();
            let (body_text, summary) = plain_text(&rest[end + 5..]);
            let list = |k: &str| -> Vec<String> {
                fm.get(k)
                    .and_then(|v| v.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let mut refs = Vec::new();
            for k in ["issuer", "unit"] {
                if let Some(s) = fm.get(k).and_then(|v| v.as_str()) {
                    refs.push(s.to_string());
                }
            }
            refs.extend(list("units"));
            refs.extend(list("recipients"));
            let units = refs
                .into_iter()
                .map(|r| match units.get(&r) {
                    Some(name) => SearchUnit {
                        slug: r,
                        name: name.clone(),
                    },
                    None => SearchUnit {
                        slug: String::new(),
                        name: r,
                    },
                })
                .collect();
            SearchDoc {
                url,
                kind: kind.into(),
                title: fm["title"].as_str().unwrap().into(),
                number: fm
                    .get("number")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .into(),
                summary,
                body_text,
                units,
                topics: list("tags"),
                date: fm["date"].to_string().chars().take(10).collect(),
            }
        })
        .collect()
}

#[test]
#[ignore = "size and timing report; set SANGTAO_BENCH_PORTAL to a generated portal"]
fn budget_report() {
    let Ok(root) = std::env::var("SANGTAO_BENCH_PORTAL") else {
        eprintln!("SANGTAO_BENCH_PORTAL not set");
        return;
    };
    let t = std::time::Instant::now();
    let docs = load_portal(std::path::Path::new(&root));
    let load = t.elapsed();
    let words: usize = docs
        .iter()
        .map(|d| d.body_text.split_whitespace().count())
        .sum();
    let mut best = std::time::Duration::MAX;
    let mut best_cpu = u64::MAX;
    let mut files = Vec::new();
    for _ in 0..if docs.len() > 50_000 { 1 } else { 3 } {
        drop(std::mem::take(&mut files));
        let (t, c) = (std::time::Instant::now(), sangtao::build::cpu_time_ms());
        files = build_index(&docs);
        best = best.min(t.elapsed());
        best_cpu = best_cpu.min(sangtao::build::cpu_time_ms() - c);
    }
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    let gz_of = |path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .map_or(0, |f| gz(&f.bytes))
    };
    let mut by_dir: std::collections::BTreeMap<&str, (usize, usize, usize, usize)> =
        Default::default();
    for f in &files {
        let dir = f.path.rsplit_once('/').unwrap().0;
        let e = by_dir.entry(dir).or_default();
        e.0 += 1;
        e.1 += f.bytes.len();
        e.3 = e.3.max(f.bytes.len());
        if f.bytes.len() > 20_000 || e.0 <= 200 {
            e.2 = e.2.max(gz(&f.bytes));
        }
    }
    println!(
        "docs {} ({} body words, loaded in {:?}); index built in {:?} wall, {} ms CPU (best of 3, {} threads); {} files, {} bytes",
        docs.len(),
        words,
        load,
        best,
        best_cpu,
        rayon::current_num_threads(),
        files.len(),
        total
    );
    for (dir, (n, bytes, max_gz, max)) in &by_dir {
        println!("  {dir:<12} {n:>6} files {bytes:>10} bytes, largest {max} bytes, largest gz (sampled) {max_gz}");
    }
    for s in [
        "dao tao",
        "đào tạo",
        "đổi mới sáng tạo",
        "doi moi sang tao",
        "182/KH-GDĐT",
        "7684/KH-GDĐT",
        "nha be",
        "robot",
        "khoa học",
        "học sinh",
        "sáng kiến",
        "trường học",
        "giáo viên",
        "chuyển đổi số",
        "năm học",
        "công nghệ",
        "thi đua",
        "Gò Vấp",
        "Bùi Văn Long",
        "tiết kiệm năng lượng",
        "\"đổi mới sáng tạo\"",
    ]
    .into_iter()
    .map(String::from)
    .chain(
        docs.iter()
            .find(|d| !d.number.is_empty())
            .map(|d| d.number.clone()),
    ) {
        let s = s.as_str();
        let r = query(&files, s);
        let bytes: usize = r.shards_fetched.iter().map(|p| gz_of(p)).sum();
        let facets = gz_of("search/f/topics.json");
        let units = gz_of("search/f/units.json");
        let manifest = gz_of("search/index.json");
        println!(
            "  {s:<24} {:>6} results, {:>2} files, {:>6} B gz fetched (manifest {manifest}, topics {facets}; units facet on demand {units})",
            r.urls.len(),
            r.shards_fetched.len(),
            bytes
        );
    }
}
/// Writes the fixture index and the Rust results of many queries, for
/// tests/fixtures/search/parity.mjs (search.js must rank identically).
#[test]
#[ignore = "writes files for the JS parity check; set SANGTAO_SEARCH_OUT"]
fn write_index_for_js() {
    let Ok(out) = std::env::var("SANGTAO_SEARCH_OUT") else {
        return;
    };
    let out = std::path::Path::new(&out);
    for f in index() {
        let p = out.join(&f.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, &f.bytes).unwrap();
    }
    let mut queries: Vec<String> = PARITY_QUERIES.iter().map(|s| s.to_string()).collect();
    // every title, its first words while typing, and folded
    for d in fixture() {
        let words: Vec<&str> = d.title.split_whitespace().collect();
        queries.push(d.title.clone());
        queries.push(sangtao::search::fold(&d.title));
        queries.push(words[..words.len().min(2)].join(" "));
        let w = words[words.len().min(3) - 1];
        queries.push(format!(
            "{} {}",
            words[0],
            w.chars().take(2).collect::<String>()
        ));
    }
    let mut json = String::from("[");
    for (i, s) in queries.iter().enumerate() {
        let r = query(index(), s);
        if i > 0 {
            json.push(',');
        }
        json.push_str(
            &serde_json::json!({"q": s, "urls": r.urls, "unmatched": r.unmatched_words})
                .to_string(),
        );
    }
    json.push(']');
    std::fs::write(out.join("queries.json"), json).unwrap();
}

const PARITY_QUERIES: &[&str] = &[
    "dao tao",
    "đào tạo",
    "đổi mới sáng tạo",
    "doi moi sang tao",
    "\"đổi mới sáng tạo\"",
    "182/KH-GDĐT",
    "182/kh-gddt",
    "182/KH",
    "403/KH- UBND",
    "27/KH-GDĐT",
    "nha be",
    "Nhà Bè",
    "robot",
    "robo",
    "robot ",
    "robot cứu hỏa",
    "\"robot cứu hỏa\"",
    "“trí tuệ nhân tạo”",
    "\"hỏa cứu\"",
    "đường",
    "đường ",
    "dương ",
    "duong",
    "tuyên dương",
    "đạo ",
    "đào ",
    "thủy ca",
    "scra",
    "xyzzyqq đổi mới",
    "Qwxyz đổi mới Zzkw ",
    "robot khởi nghiệp",
    "giáo viên dạy giỏi",
    "Gò Vấp",
    "go vap",
    "Lê Lợi",
    "nguyen van quy",
    "ủy ban nhân dân quận gò vấp",
    "STEM",
    "stem tiểu học",
    "sáng tạo",
    "sang tao",
    "học sinh",
    "t",
    "th",
    "1234",
    "2023",
    "30/2020/NĐ-CP",
    "KH-GDĐT",
    "a-b c/d",
    "đổi mới, sáng tạo",
    "\"sáng tạo",
    "sáng\"tạo\"",
];
