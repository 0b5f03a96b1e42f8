// Localized messages (error codes, field-error codes, enum labels) in the five languages the
// seeds name. Each row is [en, zh, zh-Hant, ja, vi].

export const LANGUAGES = ['en', 'zh', 'zh-Hant', 'ja', 'vi'];

const MESSAGES = {
  '4000': ['Validation failed', '参数校验失败', '參數驗證失敗', '入力内容に誤りがあります', 'Dữ liệu không hợp lệ'],
  '4010': ['Invalid or expired token', '令牌无效或已过期', '權杖無效或已過期', 'トークンが無効か期限切れです', 'Mã truy cập không hợp lệ hoặc đã hết hạn'],
  'PORTAL.ACCESS_CODE_INVALID': ['The portal access code is missing, unknown or for another portal', '门户访问码缺失、未知或属于其他门户', '入口網站存取碼缺少、未知或屬於其他入口網站', 'ポータルのアクセスコードがないか、不明か、別のポータルのものです', 'Mã truy cập cổng bị thiếu, không xác định hoặc thuộc cổng khác'],
  NOT_FOUND: ['Not found', '资源不存在', '找不到資源', '見つかりません', 'Không tìm thấy'],
  METHOD_NOT_ALLOWED: ['Method not allowed', '不支持的请求方法', '不支援的請求方法', '許可されていないメソッドです', 'Phương thức không được phép'],
  PAYLOAD_TOO_LARGE: ['Request body too large', '请求体过大', '請求內容過大', 'リクエスト本文が大きすぎます', 'Nội dung yêu cầu quá lớn'],
  RATE_LIMITED: ['Too many requests, try again later', '请求过于频繁，请稍后再试', '請求過於頻繁，請稍後再試', 'リクエストが多すぎます。しばらくしてから再試行してください', 'Quá nhiều yêu cầu, vui lòng thử lại sau'],
  '5000': ['Internal server error', '服务器内部错误', '伺服器內部錯誤', 'サーバー内部エラー', 'Lỗi máy chủ nội bộ'],
  'AUTH.INVALID_CREDENTIALS': ['Email or password is incorrect', '邮箱或密码错误', '電子郵件或密碼錯誤', 'メールアドレスまたはパスワードが正しくありません', 'Email hoặc mật khẩu không đúng'],
  'AUTH.MFA_CODE_INVALID': ['The verification code is incorrect', '验证码错误', '驗證碼錯誤', '認証コードが正しくありません', 'Mã xác minh không đúng'],
  'AUTH.LOGIN_SESSION_INVALID': ['The sign-in session has expired, please sign in again', '登录会话已失效，请重新登录', '登入工作階段已失效，請重新登入', 'サインインのセッションが無効です。もう一度サインインしてください', 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại'],
  'AUTH.REGISTRATION_SESSION_INVALID': ['The registration session has expired, please start again', '注册会话已失效，请重新开始', '註冊工作階段已失效，請重新開始', '登録セッションが無効です。最初からやり直してください', 'Phiên đăng ký đã hết hạn, vui lòng bắt đầu lại'],
  'AUTH.RESET_SESSION_INVALID': ['The password reset session has expired, please start again', '重置密码会话已失效，请重新开始', '重設密碼工作階段已失效，請重新開始', 'パスワード再設定のセッションが無効です。最初からやり直してください', 'Phiên đặt lại mật khẩu đã hết hạn, vui lòng bắt đầu lại'],
  'AUTH.VERIFICATION_CODE_INVALID': ['The email code is incorrect', '邮箱验证码错误', '電子郵件驗證碼錯誤', 'メールのコードが正しくありません', 'Mã email không đúng'],
  'AUTH.EMAIL_NOT_VERIFIED': ['Verify your email address first', '请先验证邮箱', '請先驗證電子郵件', '先にメールアドレスを確認してください', 'Vui lòng xác minh email trước'],
  'AUTH.EMAIL_ALREADY_REGISTERED': ['This email is already registered', '该邮箱已注册', '此電子郵件已註冊', 'このメールアドレスは登録済みです', 'Email này đã được đăng ký'],
  'AUTH.REFRESH_TOKEN_INVALID': ['Your session has ended, please sign in again', '会话已结束，请重新登录', '工作階段已結束，請重新登入', 'セッションが終了しました。もう一度サインインしてください', 'Phiên đã kết thúc, vui lòng đăng nhập lại'],
  'AUTH.PASSWORD_INCORRECT': ['The password is incorrect', '密码错误', '密碼錯誤', 'パスワードが正しくありません', 'Mật khẩu không đúng'],
  'AUTH.PASSWORD_ALREADY_INITIALIZED': ['The password has already been set', '密码已设置', '密碼已設定', 'パスワードは設定済みです', 'Mật khẩu đã được thiết lập'],
  'AUTH.OTP_SETUP_SESSION_INVALID': ['The authenticator setup has expired, please start again', '验证器设置已失效，请重新开始', '驗證器設定已失效，請重新開始', '認証アプリの設定が無効です。最初からやり直してください', 'Thiết lập ứng dụng xác thực đã hết hạn, vui lòng bắt đầu lại'],
  'AUTH.OTP_ALREADY_ENABLED': ['The authenticator app is already enabled', '验证器已启用', '驗證器已啟用', '認証アプリは有効です', 'Ứng dụng xác thực đã được bật'],
  'AUTH.OTP_NOT_ENABLED': ['The authenticator app is not enabled', '验证器未启用', '驗證器未啟用', '認証アプリは有効ではありません', 'Ứng dụng xác thực chưa được bật'],
  'AUTH.ACCOUNT_PENDING_APPROVAL': ['Your account is waiting for approval', '账户正在等待审批', '帳戶正在等待審核', 'アカウントは承認待ちです', 'Tài khoản đang chờ phê duyệt'],
  'AUTH.IP_NOT_ALLOWED': ['Access from this IP address is not allowed', '不允许从此 IP 地址访问', '不允許從此 IP 位址存取', 'この IP アドレスからのアクセスは許可されていません', 'Không cho phép truy cập từ địa chỉ IP này'],
  'SECURITY.SESSION_NOT_FOUND': ['Session not found', '会话不存在', '找不到工作階段', 'セッションが見つかりません', 'Không tìm thấy phiên'],
  'WORKSPACE.INVITATION_NOT_FOUND': ['Invitation not found', '邀请不存在', '找不到邀請', '招待が見つかりません', 'Không tìm thấy lời mời'],
  'WORKSPACE.INVITATION_EXPIRED': ['The invitation has expired', '邀请已过期', '邀請已過期', '招待の有効期限が切れています', 'Lời mời đã hết hạn'],
  'WORKSPACE.INVITATION_ALREADY_PROCESSED': ['The invitation has already been processed', '邀请已处理', '邀請已處理', '招待は処理済みです', 'Lời mời đã được xử lý'],
  'WORKSPACE.NOT_FOUND': ['Workspace not found', '工作区不存在', '找不到工作區', 'ワークスペースが見つかりません', 'Không tìm thấy không gian làm việc'],
  'SECURE_CHANNEL.SESSION_INVALID': ['Secure channel session is invalid', '安全通道会话无效', '安全通道工作階段無效', 'セキュアチャネルのセッションが無効です', 'Phiên kênh bảo mật không hợp lệ'],
  'SECURE_CHANNEL.KEY_UNKNOWN': ['Secure channel key is unknown', '安全通道密钥未知', '安全通道金鑰未知', 'セキュアチャネルの鍵が不明です', 'Khóa kênh bảo mật không xác định'],
  'SECURE_CHANNEL.DECRYPT_FAILED': ['Secure channel message could not be decrypted', '安全通道消息解密失败', '安全通道訊息解密失敗', 'セキュアチャネルのメッセージを復号できません', 'Không giải mã được thông điệp kênh bảo mật'],
  'SECURE_CHANNEL.REPLAY': ['Secure channel message was replayed', '安全通道消息重放', '安全通道訊息重放', 'セキュアチャネルのメッセージが再送されました', 'Thông điệp kênh bảo mật bị phát lại'],
  'SECURE_CHANNEL.REQUIRED': ['This endpoint requires an encrypted request', '此接口需要加密请求', '此介面需要加密請求', 'このエンドポイントには暗号化されたリクエストが必要です', 'Điểm cuối này yêu cầu yêu cầu được mã hóa'],
};

const FIELD_MESSAGES = {
  MALFORMED_JSON: ['The request body is not valid JSON', '请求体不是合法的 JSON', '請求內容不是合法的 JSON', 'リクエスト本文が正しい JSON ではありません', 'Nội dung yêu cầu không phải JSON hợp lệ'],
  BODY_NOT_OBJECT: ['The request body must be a JSON object', '请求体必须是 JSON 对象', '請求內容必須是 JSON 物件', 'リクエスト本文は JSON オブジェクトである必要があります', 'Nội dung yêu cầu phải là đối tượng JSON'],
  FIELD_UNKNOWN: ['Unknown field', '未知字段', '未知欄位', '不明な項目です', 'Trường không xác định'],
  FIELD_NOT_EDITABLE: ['This field cannot be changed', '此字段不可修改', '此欄位不可修改', 'この項目は変更できません', 'Không thể thay đổi trường này'],
  FIELD_REQUIRED: ['This field is required', '此字段为必填项', '此欄位為必填', 'この項目は必須です', 'Trường này là bắt buộc'],
  FIELD_TYPE: ['This field has the wrong type', '字段类型错误', '欄位類型錯誤', '項目の型が正しくありません', 'Kiểu dữ liệu không đúng'],
  FIELD_INVALID: ['This value is not valid', '值无效', '值無效', '値が正しくありません', 'Giá trị không hợp lệ'],
  FIELD_TOO_LONG: ['This value is too long', '值过长', '值過長', '値が長すぎます', 'Giá trị quá dài'],
  HEADER_REQUIRED: ['This header is required', '缺少此请求头', '缺少此標頭', 'このヘッダーは必須です', 'Thiếu tiêu đề này'],
  HEADER_INVALID: ['This header is not valid', '请求头无效', '標頭無效', 'ヘッダーが正しくありません', 'Tiêu đề không hợp lệ'],
  MFA_METHOD_NOT_AVAILABLE: ['This verification method is not available', '此验证方式不可用', '此驗證方式不可用', 'この認証方法は利用できません', 'Phương thức xác minh này không khả dụng'],
  PASSWORD_TOO_SHORT: ['Use at least 10 characters', '密码至少 10 个字符', '密碼至少 10 個字元', '10 文字以上にしてください', 'Dùng ít nhất 10 ký tự'],
  PASSWORD_TOO_LONG: ['Use at most 128 characters', '密码最多 128 个字符', '密碼最多 128 個字元', '128 文字以内にしてください', 'Dùng tối đa 128 ký tự'],
  PASSWORD_MISSING_UPPERCASE: ['Add an upper-case letter', '需包含大写字母', '需包含大寫字母', '大文字を含めてください', 'Thêm một chữ in hoa'],
  PASSWORD_MISSING_LOWERCASE: ['Add a lower-case letter', '需包含小写字母', '需包含小寫字母', '小文字を含めてください', 'Thêm một chữ thường'],
  PASSWORD_MISSING_DIGIT: ['Add a digit', '需包含数字', '需包含數字', '数字を含めてください', 'Thêm một chữ số'],
  PASSWORD_EQUALS_EMAIL: ['The password must not be your email', '密码不能与邮箱相同', '密碼不能與電子郵件相同', 'パスワードにメールアドレスは使えません', 'Mật khẩu không được trùng email'],
  PASSWORD_REUSED: ['Choose a password different from the current one', '新密码不能与当前密码相同', '新密碼不能與目前密碼相同', '現在と異なるパスワードを選んでください', 'Chọn mật khẩu khác mật khẩu hiện tại'],
  IP_ENTRY_INVALID: ['Not a valid IP address or CIDR range', '不是有效的 IP 地址或 CIDR 网段', '不是有效的 IP 位址或 CIDR 網段', '有効な IP アドレスまたは CIDR ではありません', 'Không phải địa chỉ IP hoặc dải CIDR hợp lệ'],
  IP_ENTRY_DUPLICATE: ['Duplicate entry', '重复的条目', '重複的項目', '重複しています', 'Mục bị trùng'],
  IP_WHITELIST_EMPTY: ['Add at least one entry first', '请至少添加一个条目', '請至少新增一個項目', '先に 1 件以上追加してください', 'Hãy thêm ít nhất một mục'],
  IP_WHITELIST_EXCLUDES_CURRENT: ['The list must include your current IP address', '列表必须包含您当前的 IP 地址', '清單必須包含您目前的 IP 位址', '現在の IP アドレスを含めてください', 'Danh sách phải bao gồm địa chỉ IP hiện tại của bạn'],
};

const LABELS = {
  SYSTEM: ['System', '系统', '系統', 'システム', 'Hệ thống'],
  TENANT: ['Tenant', '租户', '租戶', 'テナント', 'Đơn vị thuê'],
  CONSUMER: ['Consumer', '消费者', '消費者', 'コンシューマー', 'Người dùng'],
  INVITED: ['Invited', '已邀请', '已邀請', '招待済み', 'Đã mời'],
  ACTIVE: ['Active', '正常', '正常', '有効', 'Hoạt động'],
  PENDING_APPROVAL: ['Pending approval', '待审批', '待審核', '承認待ち', 'Chờ phê duyệt'],
  EMAIL: ['Email', '邮箱', '電子郵件', 'メール', 'Email'],
  OTP: ['Authenticator app', '身份验证器应用', '驗證器應用程式', '認証アプリ', 'Ứng dụng xác thực'],
  BACKUP_CODE: ['Backup code', '备用码', '備用碼', 'バックアップコード', 'Mã dự phòng'],
  OWNER: ['Owner', '所有者', '擁有者', 'オーナー', 'Chủ sở hữu'],
  ADMIN: ['Admin', '管理员', '管理員', '管理者', 'Quản trị viên'],
  MEMBER: ['Member', '成员', '成員', 'メンバー', 'Thành viên'],
  PENDING: ['Pending', '待处理', '待處理', '保留中', 'Đang chờ'],
  ACCEPTED: ['Accepted', '已接受', '已接受', '承諾済み', 'Đã chấp nhận'],
  DECLINED: ['Declined', '已拒绝', '已拒絕', '辞退済み', 'Đã từ chối'],
  EXPIRED: ['Expired', '已过期', '已過期', '期限切れ', 'Đã hết hạn'],
  STAY_ON_CURRENT_WORKSPACE: ['Stay on current workspace', '留在当前工作区', '留在目前工作區', '現在のワークスペースに留まる', 'Ở lại không gian làm việc hiện tại'],
  ENTER_ACCEPTED_WORKSPACE: ['Enter accepted workspace', '进入已接受的工作区', '進入已接受的工作區', '承諾したワークスペースに入る', 'Vào không gian làm việc đã chấp nhận'],
};

const pick = (row, lang) => row[Math.max(0, LANGUAGES.indexOf(lang))];

export const message = (code, lang) => pick(MESSAGES[code] ?? MESSAGES['5000'], lang);
export const fieldMessage = (code, lang) => pick(FIELD_MESSAGES[code] ?? FIELD_MESSAGES.FIELD_INVALID, lang);
export const label = (code, lang) => pick(LABELS[code] ?? [code], lang);

/** Maps one language tag to a supported language, or null. */
function normalizeTag(tag) {
  const t = tag.toLowerCase();
  if (t === 'zh-hant' || t.startsWith('zh-hant-') || t === 'zh-tw' || t === 'zh-hk' || t === 'zh-mo') return 'zh-Hant';
  if (t === 'zh' || t.startsWith('zh-')) return 'zh';
  const primary = t.split('-')[0];
  return ['en', 'ja', 'vi'].includes(primary) ? primary : null;
}

/** Accept-Language → one of LANGUAGES (q-values honoured, default en). */
export function negotiateLanguage(header) {
  if (typeof header !== 'string' || !header) return 'en';
  const ranked = header.split(',').map((part, index) => {
    const [tag, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
  }).filter((x) => x.tag && x.weight > 0).sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranked) {
    const lang = normalizeTag(tag);
    if (lang) return lang;
  }
  return 'en';
}
