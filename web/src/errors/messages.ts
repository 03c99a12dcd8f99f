// What a refusal says, per the API's ErrorCode, in the page's language. The API's own `message` is English and
// written for developers; a person reads these instead (src/errors/userError.ts). Each table is typed by the
// schema's enum, so a code added to schema.graphql without its text here fails the build, and
// messages.test.ts checks the codes domain/errors.py can raise against both languages.
import type { EnumOf } from "../i18n/enums";

type Code = Extract<EnumOf<"ErrorCode">, string>;
type Reason = Extract<EnumOf<"FileRejectionReason">, string>;
type Format = Extract<EnumOf<"FileFormat">, string>;
type Archive = Extract<EnumOf<"ArchiveKind">, string>;

interface Messages {
  code: Record<Code, string>;
  /** The request did not reach the API or its answer was not understood: no refusal to show. */
  transport: string;
  /** Where one field's refusal can say more than its code: code, then the API's field name. */
  field: Partial<Record<Code, Record<string, string>>>;
  /** The words around a refusal's figures (figures.ts), and the texts that show them: per code, then per code and
   * field, each interpolating `range`, `min`, `max`, `earliest`, `latest` or `formats`. */
  figures: {
    between: string;
    atMost: string;
    atLeast: string;
    dateBetween: string;
    notBefore: string;
    notAfter: string;
    /** Per LimitUnit (MONEY and BYTES are worded by Intl and the files area); plural forms by Intl.PluralRules. */
    unit: Record<string, string>;
    code: Partial<Record<Code, string>>;
    field: Partial<Record<Code, Record<string, string>>>;
  };
  /** A refused file, by FileRejectedError.reason (fileRefusal.ts): what happened and what to do, interpolating
   * `formats` (accepted, "PDF, STEP"), `extensions` (".sig, .p7s"), `max` (a size or a count of files) and
   * `archive` (the archive's kind, from `archive`). A truncated file is worded per the format it starts as. */
  file: {
    reason: Record<Reason, string>;
    truncated: Record<Format, string>;
    archive: Record<Archive, string>;
  };
}

const ru: Messages = {
  code: {
    INVALID: "Значение не подходит. Проверьте, что оно введено полностью и в нужном формате.",
    REQUIRED: "Заполните это поле.",
    OUT_OF_RANGE: "Значение выходит за допустимые пределы. Проверьте число или дату.",
    UNKNOWN_CURRENCY: "Эта валюта не поддерживается.",
    CURRENCY_MISMATCH: "Валюта не совпадает с валютой заказа или контракта.",
    DEADLINE_IN_PAST: "Эта дата уже прошла. Укажите дату в будущем.",
    REGION_WITHDRAWN: "Этот код региона отменён (так в 2022 году сменились коды регионов Казахстана). Выберите регион из списка заново.",
    UNAUTHENTICATED: "Войдите в свою учётную запись, чтобы продолжить.",
    INVALID_CREDENTIALS: "Неверная электронная почта или пароль.",
    EMAIL_TAKEN: "Этот адрес электронной почты уже зарегистрирован. Войдите или восстановите пароль.",
    RATE_LIMITED: "Слишком много попыток. Подождите немного и попробуйте снова.",
    TOKEN_INVALID: "Ссылка недействительна: она уже использована, устарела или скопирована не целиком.",
    NOT_FOUND: "Не найдено: запись удалена или у вас нет к ней доступа.",
    FORBIDDEN: "У вас нет прав на это действие.",
    ALREADY_EXISTS: "Такая запись уже есть.",
    ORDER_NOT_EDITABLE: "Заказ больше нельзя изменить: он уже опубликован, закрыт или отменён.",
    ORDER_NOT_OPEN: "Заказ сейчас не принимает предложения.",
    BIDDING_CLOSED: "Приём предложений по заказу закрыт.",
    BID_NOT_ACTIVE: "Предложение уже не действует: его отозвали, заменили или по нему принято решение.",
    BID_EXPIRED: "Срок действия предложения истёк.",
    DUPLICATE_BID: "У вашей компании уже есть действующее предложение по этому заказу. Измените его вместо нового.",
    CAPABILITY_MISMATCH: "Заказ не подходит под оборудование и возможности вашего производства.",
    NOT_A_MANUFACTURER: "Это доступно только компаниям-производителям.",
    NOT_A_BUYER: "Это доступно только компаниям-заказчикам.",
    OWN_ORDER: "Нельзя делать предложение по заказу своей компании.",
    NOT_INVITED: "Заказ открыт только для приглашённых производителей.",
    INVALID_TRANSITION: "Сейчас это действие недоступно: контракт уже на другом этапе. Обновите страницу.",
    PAYMENT_FAILED: "Платёж не прошёл. Проверьте данные и попробуйте ещё раз.",
    CAPACITY_EXCEEDED: "Не хватает свободных производственных мощностей на эти сроки.",
    SPLIT_NOT_ALLOWED: "Заказ нельзя делить между несколькими производителями.",
    CONTRACT_NOT_COMPLETED: "Контракт ещё не завершён.",
    REVIEW_PERIOD_OVER: "Срок, в который можно оставить отзыв, истёк.",
    PAYMENTS_FROZEN: "Выплаты приостановлены: банк заказчика оспаривает платёж.",
    FIRST_ARTICLE_APPROVED: "Первый образец уже принят заказчиком, повторно его не предъявляют. Следующий шаг — отгрузка.",
    UNSUPPORTED_FILE: "Этот тип файла не принимается.",
    FILE_TOO_LARGE: "Файл слишком большой.",
    FILE_LIMIT_REACHED: "У заказа уже предельное число файлов или их общий объём.",
    NDA_REQUIRED: "Сначала примите соглашение о неразглашении по этому заказу.",
    NDA_VERSION_MISMATCH: "Текст соглашения изменился: прочтите новую редакцию и примите её.",
    STORAGE_UNAVAILABLE: "Хранилище файлов сейчас недоступно, ничего не сохранено. Попробуйте позже.",
    UPLOAD_MISMATCH: "Загруженный файл не совпадает с заявленным. Загрузите его ещё раз.",
  },
  transport: "Не удалось связаться с биржей. Проверьте подключение к интернету и попробуйте ещё раз.",
  field: {
    OUT_OF_RANGE: {
      unitPrice_amount: "Цена за единицу должна быть больше нуля, а сумма заявки — не больше допустимой.",
    },
    INVALID: {
      inn: "ИНН не прошёл проверку: нужно 10 цифр (организация) или 12 (ИП) с верными контрольными цифрами.",
      // The number an organisation signs up (or is created, or corrected) with, checked by its region's country:
      // the field's label and hint name which number it is (src/ui/LegalId.tsx), the refusal covers each.
      organisation_legalId:
        "Номер не прошёл проверку для страны компании: ИНН — 10 цифр (организация) или 12 (ИП), БИН — 12 цифр, УНП — 9 цифр, с верными контрольными цифрами. Сверьте его с выпиской из реестра.",
      legalId:
        "Номер не прошёл проверку для страны компании: ИНН — 10 цифр (организация) или 12 (ИП), БИН — 12 цифр, УНП — 9 цифр, с верными контрольными цифрами. Сверьте его с выпиской из реестра.",
      kpp: "КПП — 9 знаков; у ИП КПП нет.",
      ogrn: "ОГРН — 13 цифр (организация), ОГРНИП — 15 цифр (ИП), с верной контрольной цифрой.",
      bik: "БИК — 9 цифр и начинается с 04.",
      settlementAccount: "Расчётный счёт не сходится с БИК: проверьте цифры счёта и БИК банка.",
      correspondentAccount: "Корреспондентский счёт не сходится с БИК: он начинается с 30101 и кончается тремя последними цифрами БИК.",
    },
  },
  figures: {
    between: "от {{min}} до {{max}}",
    atMost: "не больше {{max}}",
    atLeast: "не меньше {{min}}",
    dateBetween: "с {{earliest}} по {{latest}}",
    notBefore: "не раньше {{earliest}}",
    notAfter: "не позже {{latest}}",
    // After «до», «не больше», «не меньше» a counted noun is in the genitive: «до 1 символа», «до 5 символов».
    unit: {
      PIECES: "{{value}} шт.",
      CHARACTERS_one: "{{value}} символа",
      CHARACTERS_few: "{{value}} символов",
      CHARACTERS_many: "{{value}} символов",
      CHARACTERS_other: "{{value}} символа",
      FILES_one: "{{value}} файла",
      FILES_few: "{{value}} файлов",
      FILES_many: "{{value}} файлов",
      FILES_other: "{{value}} файла",
      ENTRIES_one: "{{value}} позиции",
      ENTRIES_few: "{{value}} позиций",
      ENTRIES_many: "{{value}} позиций",
      ENTRIES_other: "{{value}} позиции",
      DAYS_one: "{{value}} дня",
      DAYS_few: "{{value}} дней",
      DAYS_many: "{{value}} дней",
      DAYS_other: "{{value}} дня",
      HOURS: "{{value}} ч",
      SECONDS: "{{value}} с",
      MILLIMETRES: "{{value}} мм",
      TRIANGLES_one: "{{value}} треугольника",
      TRIANGLES_few: "{{value}} треугольников",
      TRIANGLES_many: "{{value}} треугольников",
      TRIANGLES_other: "{{value}} треугольника",
      NUMBER: "{{value}}",
    },
    code: {
      OUT_OF_RANGE: "Значение выходит за допустимые пределы: допустимо {{range}}.",
      FILE_TOO_LARGE: "Файл больше {{max}} — это предел для одного файла.",
      FILE_LIMIT_REACHED: "У заказа уже предельное число файлов или их общий объём: {{range}}.",
      UNSUPPORTED_FILE: "Этот тип файла не принимается. Допустимые форматы: {{formats}}.",
    },
    field: {
      OUT_OF_RANGE: {
        quantity: "Количество: {{range}}.",
        unitPrice_amount: "Цена за единицу: {{range}}.",
        tooling_amount: "Оснастка: {{range}}.",
        leadTimeDays: "Срок изготовления: {{range}}.",
        validUntil: "Срок действия предложения: {{range}} — не раньше окончания приёма предложений.",
        needBy: "Срок поставки: {{range}} — позже окончания приёма предложений.",
        biddingDeadline: "Окончание приёма предложений: {{range}} — опубликованный срок можно только продлить.",
        budgetMin_amount: "Бюджет от: {{range}}.",
        budgetMax_amount: "Бюджет до: {{range}}.",
        hourlyRate_amount: "Ставка за час: {{range}}.",
        amount_amount: "Сумма: {{range}}.",
        budgetMax: "Бюджет до: {{range}} — не меньше бюджета «от».",
        estimatedMachineHours: "Машинное время: {{range}}.",
        title: "Название: {{range}}.",
        description: "Описание: {{range}}.",
        material: "Материал: {{range}}.",
        password: "Пароль: {{range}}.",
        newPassword: "Пароль: {{range}}.",
        rating: "Оценка: {{range}}.",
        body: "Сообщение: {{range}}.",
        attachments: "Вложения: {{range}}.",
        question: "Неотвеченных вопросов по одному заказу может быть {{range}}.",
      },
      FILE_LIMIT_REACHED: {
        orderId: "К заказу можно приложить не больше {{max}}. Новая редакция уже приложенного файла в это число не входит.",
        file: "Файлы заказа вместе со всеми редакциями могут занимать не больше {{max}}.",
      },
    },
  },
  file: {
    reason: {
      EMPTY: "Файл пуст: в нём нет ни одного байта. Проверьте, что выбран нужный файл и он сохранён целиком.",
      ARCHIVE: "Архивы ({{archive}}) не принимаются: распакуйте архив и загрузите файлы по отдельности. Допустимые форматы: {{formats}}.",
      TRUNCATED: "Файл обрезан — загрузите его заново.",
      UNKNOWN_CONTENT:
        "Содержимое файла не похоже ни на один допустимый формат (тип определяется по содержимому, а не по имени): {{formats}}.",
      WRONG_EXTENSION: "Нужен файл с расширением {{extensions}}.",
      TOO_LARGE: "Файл больше {{max}} — это предел для одного файла.",
      ORDER_FILE_COUNT: "К заказу можно приложить не больше {{max}}. Новая редакция уже приложенного файла в это число не входит.",
      ORDER_SIZE: "Файлы заказа вместе со всеми редакциями могут занимать не больше {{max}}.",
      NOT_UPLOADED: "Файл не дошёл до хранилища. Загрузите его ещё раз.",
      SIZE_MISMATCH: "Файл дошёл не целиком: его размер не совпадает с заявленным. Загрузите его ещё раз.",
      CHECKSUM_MISMATCH: "Файл повредился при передаче: его контрольная сумма не совпадает с заявленной. Загрузите его ещё раз.",
    },
    truncated: {
      PDF: "Файл PDF обрезан (нет маркера конца %%EOF) — сохраните его заново и загрузите ещё раз.",
      STEP: "Файл STEP обрезан (нет END-ISO-10303-21) — экспортируйте его из CAD заново и загрузите ещё раз.",
      IGES: "Файл IGES обрезан — экспортируйте его из CAD заново и загрузите ещё раз.",
      STL: "Файл STL обрезан (нет endsolid) — загрузите его заново.",
      DXF: "Файл DXF обрезан — экспортируйте его заново и загрузите ещё раз.",
      PNG: "Изображение PNG обрезано (нет блока IEND) — загрузите его заново.",
      JPEG: "Изображение JPEG обрезано (нет маркера конца) — загрузите его заново.",
    },
    archive: { ZIP: "ZIP", GZIP: "gzip", SEVEN_ZIP: "7-Zip", RAR: "RAR", BZIP2: "bzip2", XZ: "xz", ZSTD: "Zstandard" },
  },
};

const en: Messages = {
  code: {
    INVALID: "This value is not acceptable. Check that it is complete and in the right format.",
    REQUIRED: "Fill in this field.",
    OUT_OF_RANGE: "This value is out of range. Check the number or date.",
    UNKNOWN_CURRENCY: "This currency is not supported.",
    CURRENCY_MISMATCH: "The currency does not match the order's or the contract's.",
    DEADLINE_IN_PAST: "This date has passed. Choose a date in the future.",
    REGION_WITHDRAWN: "This region code has been withdrawn (Kazakhstan's region codes changed in 2022). Choose the region from the list again.",
    UNAUTHENTICATED: "Sign in to your account to continue.",
    INVALID_CREDENTIALS: "Wrong e-mail or password.",
    EMAIL_TAKEN: "This e-mail address is already registered. Sign in or reset your password.",
    RATE_LIMITED: "Too many attempts. Wait a little and try again.",
    TOKEN_INVALID: "This link is not valid: it has been used, has expired or was not copied in full.",
    NOT_FOUND: "Not found: it was removed or you have no access to it.",
    FORBIDDEN: "You are not allowed to do this.",
    ALREADY_EXISTS: "This already exists.",
    ORDER_NOT_EDITABLE: "The order can no longer be changed: it is published, closed or cancelled.",
    ORDER_NOT_OPEN: "The order is not taking bids now.",
    BIDDING_CLOSED: "Bidding on this order has closed.",
    BID_NOT_ACTIVE: "The bid is no longer active: it was withdrawn, replaced or decided on.",
    BID_EXPIRED: "The bid has expired.",
    DUPLICATE_BID: "Your company already has an active bid on this order. Revise it instead.",
    CAPABILITY_MISMATCH: "The order does not fit your shop's equipment and capabilities.",
    NOT_A_MANUFACTURER: "Only manufacturers can do this.",
    NOT_A_BUYER: "Only buyers can do this.",
    OWN_ORDER: "You cannot bid on your own company's order.",
    NOT_INVITED: "The order is open to invited manufacturers only.",
    INVALID_TRANSITION: "This is not possible now: the contract has moved to another step. Reload the page.",
    PAYMENT_FAILED: "The payment did not go through. Check the details and try again.",
    CAPACITY_EXCEEDED: "Not enough free production capacity for these dates.",
    SPLIT_NOT_ALLOWED: "This order cannot be split between manufacturers.",
    CONTRACT_NOT_COMPLETED: "The contract is not completed yet.",
    REVIEW_PERIOD_OVER: "The time for leaving a review is over.",
    PAYMENTS_FROZEN: "Payouts are on hold: the buyer's bank is disputing the payment.",
    FIRST_ARTICLE_APPROVED: "The buyer has already approved the first article; it is not submitted again. Shipping comes next.",
    UNSUPPORTED_FILE: "Files of this type are not accepted.",
    FILE_TOO_LARGE: "The file is too large.",
    FILE_LIMIT_REACHED: "The order already has as many files, or as much in files, as it may.",
    NDA_REQUIRED: "Accept the order's non-disclosure agreement first.",
    NDA_VERSION_MISMATCH: "The non-disclosure agreement has changed. Read the new version and accept it.",
    STORAGE_UNAVAILABLE: "File storage cannot be reached just now; nothing was saved. Try again later.",
    UPLOAD_MISMATCH: "The uploaded file is not the one announced. Upload it again.",
  },
  transport: "Could not reach the exchange. Check your connection and try again.",
  field: {
    OUT_OF_RANGE: {
      unitPrice_amount: "The unit price must be more than zero and the bid's total within the limit.",
    },
    INVALID: {
      inn: "The INN did not pass its check: 10 digits (a company) or 12 (a sole proprietor) with the right check digits.",
      organisation_legalId:
        "The number did not pass the check for the company's country: an INN has 10 digits (a company) or 12 (a sole proprietor), a BIN 12, an UNP 9, with the right check digits. Compare it with the register's extract.",
      legalId:
        "The number did not pass the check for the company's country: an INN has 10 digits (a company) or 12 (a sole proprietor), a BIN 12, an UNP 9, with the right check digits. Compare it with the register's extract.",
      kpp: "A KPP has 9 characters; a sole proprietor has none.",
      ogrn: "An OGRN has 13 digits (a company), an OGRNIP 15 (a sole proprietor), with the right check digit.",
      bik: "A BIK has 9 digits and begins with 04.",
      settlementAccount: "The settlement account does not match the BIK: check the account's digits and the bank's BIK.",
      correspondentAccount: "The correspondent account does not match the BIK: it begins with 30101 and ends with the BIK's last three digits.",
    },
  },
  figures: {
    between: "from {{min}} to {{max}}",
    atMost: "at most {{max}}",
    atLeast: "at least {{min}}",
    dateBetween: "from {{earliest}} to {{latest}}",
    notBefore: "{{earliest}} or later",
    notAfter: "{{latest}} or earlier",
    unit: {
      PIECES: "{{value}} pcs",
      CHARACTERS_one: "{{value}} character",
      CHARACTERS_other: "{{value}} characters",
      FILES_one: "{{value}} file",
      FILES_other: "{{value}} files",
      ENTRIES_one: "{{value}} item",
      ENTRIES_other: "{{value}} items",
      DAYS_one: "{{value}} day",
      DAYS_other: "{{value}} days",
      HOURS: "{{value}} h",
      SECONDS: "{{value}} s",
      MILLIMETRES: "{{value}} mm",
      TRIANGLES_one: "{{value}} triangle",
      TRIANGLES_other: "{{value}} triangles",
      NUMBER: "{{value}}",
    },
    code: {
      OUT_OF_RANGE: "This value is out of range: {{range}} is allowed.",
      FILE_TOO_LARGE: "The file is larger than {{max}}, the most one file may be.",
      FILE_LIMIT_REACHED: "The order already has as many files, or as much in files, as it may: {{range}}.",
      UNSUPPORTED_FILE: "Files of this type are not accepted. Accepted formats: {{formats}}.",
    },
    field: {
      OUT_OF_RANGE: {
        quantity: "Quantity: {{range}}.",
        unitPrice_amount: "Unit price: {{range}}.",
        tooling_amount: "Tooling: {{range}}.",
        leadTimeDays: "Lead time: {{range}}.",
        validUntil: "Valid until: {{range}}, no earlier than the end of bidding.",
        needBy: "Need by: {{range}}, after the end of bidding.",
        biddingDeadline: "End of bidding: {{range}}; a published deadline can only be extended.",
        budgetMin_amount: "Budget from: {{range}}.",
        budgetMax_amount: "Budget up to: {{range}}.",
        hourlyRate_amount: "Hourly rate: {{range}}.",
        amount_amount: "Amount: {{range}}.",
        budgetMax: "Budget up to: {{range}}, no less than the budget from.",
        estimatedMachineHours: "Machine hours: {{range}}.",
        title: "Title: {{range}}.",
        description: "Description: {{range}}.",
        material: "Material: {{range}}.",
        password: "Password: {{range}}.",
        newPassword: "Password: {{range}}.",
        rating: "Rating: {{range}}.",
        body: "Message: {{range}}.",
        attachments: "Attachments: {{range}}.",
        question: "Unanswered questions on one order: {{range}}.",
      },
      FILE_LIMIT_REACHED: {
        orderId: "An order may have at most {{max}}. A new revision of a file already attached does not count.",
        file: "An order's files, with all their revisions, may take at most {{max}}.",
      },
    },
  },
  file: {
    reason: {
      EMPTY: "The file is empty: it has no bytes at all. Check that you chose the right file and that it was saved in full.",
      ARCHIVE: "Archives ({{archive}}) are not accepted: unpack it and upload the files one by one. Accepted formats: {{formats}}.",
      TRUNCATED: "The file is cut short: upload it again.",
      UNKNOWN_CONTENT:
        "The file's content matches none of the accepted formats (the type is read from the content, not the name): {{formats}}.",
      WRONG_EXTENSION: "A file ending in {{extensions}} is needed.",
      TOO_LARGE: "The file is larger than {{max}}, the most one file may be.",
      ORDER_FILE_COUNT: "An order may have at most {{max}}. A new revision of a file already attached does not count.",
      ORDER_SIZE: "An order's files, with all their revisions, may take at most {{max}}.",
      NOT_UPLOADED: "The file did not reach the storage. Upload it again.",
      SIZE_MISMATCH: "The file did not arrive in full: its size is not the one announced. Upload it again.",
      CHECKSUM_MISMATCH: "The file was damaged on the way: its checksum is not the one announced. Upload it again.",
    },
    truncated: {
      PDF: "The PDF is cut short (no %%EOF end marker): save it again and upload it once more.",
      STEP: "The STEP file is cut short (no END-ISO-10303-21): export it from CAD again and upload it once more.",
      IGES: "The IGES file is cut short: export it from CAD again and upload it once more.",
      STL: "The STL file is cut short (no endsolid): upload it again.",
      DXF: "The DXF file is cut short: export it again and upload it once more.",
      PNG: "The PNG image is cut short (no IEND chunk): upload it again.",
      JPEG: "The JPEG image is cut short (no end marker): upload it again.",
    },
    archive: { ZIP: "ZIP", GZIP: "gzip", SEVEN_ZIP: "7-Zip", RAR: "RAR", BZIP2: "bzip2", XZ: "xz", ZSTD: "Zstandard" },
  },
};

export const messages = { ru, en };
